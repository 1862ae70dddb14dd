package plot

import (
	"math"
	"slices"
	"strconv"
)

// scale maps data values on one axis to a fraction of its length, 0 to 1.
type scale struct {
	lo, hi float64
	log    bool
	ticks  []float64
}

// newScale covers lo..hi with round ticks. A linear axis of values that
// are all positive (or all negative) starts at zero when withZero is set,
// as a bar's length or a latency's must; a log axis runs from a power of
// ten below the least value to one above the greatest, with ticks at the
// powers and, when that leaves fewer than four, at 2 and 5 times them.
func newScale(lo, hi float64, log, withZero bool) *scale {
	if log {
		// Ticks at 1, 2 and 5 times the powers of ten over up to three
		// decades, at 1 and 3 times them up to six, at the powers alone
		// beyond; the axis runs from the greatest tick at or below lo to
		// the least at or above hi.
		mults := []float64{1, 2, 5}
		switch span := math.Log10(hi) - math.Log10(lo); {
		case span >= 6:
			mults = []float64{1}
		case span >= 3:
			mults = []float64{1, 3}
		}
		var cands []float64
		for e := math.Floor(math.Log10(lo)) - 1; e <= math.Ceil(math.Log10(hi))+1; e++ {
			for _, m := range mults {
				cands = append(cands, roundSig(m*math.Pow(10, e)))
			}
		}
		s := &scale{log: true}
		for i, v := range cands {
			if v <= lo*(1+1e-9) || i == 0 {
				s.ticks = s.ticks[:0]
			}
			s.ticks = append(s.ticks, v)
			if v >= hi*(1-1e-9) && len(s.ticks) > 1 {
				break
			}
		}
		s.lo, s.hi = s.ticks[0], s.ticks[len(s.ticks)-1]
		return s
	}
	if withZero {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	if lo == hi {
		// One value: an axis around it.
		d := math.Max(math.Abs(lo)/2, 1)
		if lo == 0 {
			lo, hi = 0, 1
		} else if lo > 0 && withZero {
			hi += d
		} else {
			lo, hi = lo-d, hi+d
		}
	}
	step := niceStep((hi - lo) / 5)
	s := &scale{lo: math.Floor(lo/step+1e-9) * step, hi: math.Ceil(hi/step-1e-9) * step}
	for v := s.lo; v <= s.hi+step*1e-9; v += step {
		s.ticks = append(s.ticks, roundSig(v))
	}
	return s
}

// niceStep is the smallest of 1, 2 or 5 times a power of ten that is at
// least raw.
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw*(1-1e-12) {
			return m * mag
		}
	}
	return 10 * mag
}

// roundSig drops the float noise of sums and powers: 0.30000000000000004
// is 0.3.
func roundSig(v float64) float64 {
	if v == 0 {
		return 0
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}

// at is v's position along the axis, 0 at lo and 1 at hi.
func (s *scale) at(v float64) float64 {
	if s.log {
		return (math.Log10(v) - math.Log10(s.lo)) / (math.Log10(s.hi) - math.Log10(s.lo))
	}
	return (v - s.lo) / (s.hi - s.lo)
}

// timeUnits are the time units a tick label may move up through, each
// 1000 of the one before: 30000 ms reads 30 s.
var timeUnits = []string{"ns", "µs", "ms", "s"}

// tickTexts labels an axis's ticks. A time unit moves up while the ticks
// reach 1000 of it: on a linear axis all ticks take the largest tick's
// unit (0 s, 10 s, 20 s), on a log axis each its own (1 ms, 10 ms, 1 s).
func tickTexts(ticks []float64, unit string, log bool) []string {
	out := make([]string, len(ticks))
	top := 0.0
	for _, t := range ticks {
		top = math.Max(top, math.Abs(t))
	}
	base := unit
	if base == "us" {
		base = "µs"
	}
	k0 := slices.Index(timeUnits, base)
	for i, t := range ticks {
		m := top
		if log {
			m = math.Abs(t)
		}
		v, u := t, unit
		for k := k0; k >= 0 && k < len(timeUnits)-1 && m >= 1000; k++ {
			v, m, u = v/1000, m/1000, timeUnits[k+1]
		}
		out[i] = tickText(roundSig(v), u)
	}
	return out
}

// tickText is a tick's label: the number, shortest form, and the unit.
func tickText(v float64, unit string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v) >= 1e7 || (v != 0 && math.Abs(v) < 1e-4) {
		s = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return unitText(s, unit)
}

// unitText is a number with its unit: 12 ms, 80%.
func unitText(s, unit string) string {
	switch unit {
	case "":
		return s
	case "%":
		return s + unit
	}
	return s + " " + unit
}
