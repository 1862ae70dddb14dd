// Package socialcard draws a post's social card: the PNG that link
// previews (og:image, twitter:image) show, with the post's title and the
// site's name, in Go's own fonts, drawn with Go's image packages. Nothing
// is fetched and nothing depends on the machine: the same title and site
// give the same bytes everywhere, so a card is cached by its inputs.
package socialcard

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Width and Height are the card's size in pixels: the 1.91:1 that link
// previews crop to.
const (
	Width  = 1200
	Height = 630
)

// Version is part of every card's key: change it when the drawing
// changes, and cached cards are drawn again.
const Version = "1"

// Card is what a card shows.
type Card struct {
	Title string // the post's title
	Site  string // the site's name
	Host  string // the site's host, shown at the foot (example.org)
}

// Key is the card's cache key: a hash of everything that decides its
// bytes.
func (c Card) Key() string {
	h := sha256.New()
	for _, s := range []string{"socialcard", Version, c.Title, c.Site, c.Host} {
		// Length-prefixed: a NUL in a title (YAML's "\0") cannot move a
		// field boundary, as a NUL separator let it.
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// IsPNG reports whether b is a whole PNG file: the signature, then chunks
// whose CRCs hold, IHDR first and IEND last with nothing after it. A cached
// card that was cut short, written into in place or otherwise damaged
// fails, and is drawn again rather than published.
func IsPNG(b []byte) bool {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(b) < len(sig) || string(b[:len(sig)]) != sig {
		return false
	}
	b = b[len(sig):]
	for first := true; ; first = false {
		if len(b) < 12 {
			return false
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-12) {
			return false
		}
		typ, data := b[4:8], b[8:8+n]
		if binary.BigEndian.Uint32(b[8+n:]) != crc32.Update(crc32.ChecksumIEEE(typ), crc32.IEEETable, data) {
			return false
		}
		if first && string(typ) != "IHDR" {
			return false
		}
		b = b[12+n:]
		if string(typ) == "IEND" {
			return len(b) == 0
		}
	}
}

var (
	fontsOnce         sync.Once
	boldFont, regFont *opentype.Font
	fontsErr          error
)

func fonts() (bold, regular *opentype.Font, err error) {
	fontsOnce.Do(func() {
		if boldFont, fontsErr = opentype.Parse(gobold.TTF); fontsErr != nil {
			return
		}
		regFont, fontsErr = opentype.Parse(goregular.TTF)
	})
	return boldFont, regFont, fontsErr
}

// The card's colours: the default theme's dark background and accent.
var (
	background = color.RGBA{0x16, 0x18, 0x1d, 0xff}
	foreground = color.RGBA{0xe3, 0xe6, 0xeb, 0xff}
	muted      = color.RGBA{0xa3, 0xab, 0xb8, 0xff}
	accent     = color.RGBA{0x86, 0xb6, 0xff, 0xff}
)

const margin = 80

// blendSteps is how many shades of each ink over the background the
// palette holds: antialiased edges in 16 steps look smooth at this size.
const blendSteps = 16

// Render draws the card as a PNG.
func Render(c Card) ([]byte, error) {
	bold, regular, err := fonts()
	if err != nil {
		return nil, err
	}
	// A paletted image of the colours drawn and their blends: a fraction
	// of the size of RGBA as a PNG; text is drawn as coverage and each
	// pixel it touches set to the blend of its coverage (drawText).
	img := image.NewPaletted(image.Rect(0, 0, Width, Height), palette())
	draw.Draw(img, image.Rect(0, 0, Width, 12), image.NewUniform(accent), image.Point{}, draw.Src)

	siteFace, err := opentype.NewFace(regular, &opentype.FaceOptions{Size: 34, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	defer siteFace.Close()
	drawText(img, siteFace, inkMuted, margin, margin+34, fit(siteFace, clean(c.Site), Width-2*margin))

	// The title at the largest size, from 72 down to 44 points, whose
	// lines fit in four; longer titles end with an ellipsis.
	var lines []string
	var face font.Face
	for size := 72.0; ; size -= 7 {
		if face != nil {
			face.Close()
		}
		if face, err = opentype.NewFace(bold, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull}); err != nil {
			return nil, err
		}
		lines = wrap(face, clean(c.Title), Width-2*margin)
		if len(lines) <= 4 || size <= 44 {
			break
		}
	}
	defer face.Close()
	if len(lines) > 4 {
		lines = append(lines[:3], fit(face, lines[3]+" "+strings.Join(lines[4:], " "), Width-2*margin))
	}
	lineHeight := face.Metrics().Height.Ceil() * 6 / 5
	y := margin + 34 + 40 + face.Metrics().Ascent.Ceil()
	for _, l := range lines {
		drawText(img, face, inkForeground, margin, y, l)
		y += lineHeight
	}
	if c.Host != "" {
		drawText(img, siteFace, inkAccent, margin, Height-margin+10, fit(siteFace, clean(c.Host), Width-2*margin))
	}

	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: encoders}
	if err := enc.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encoders keeps the PNG encoder's compressor and row buffers between
// cards: building them took about a tenth of a card's time.
var encoders = new(encoderPool)

type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// palette is the background (index 0, what a new image holds) blended
// with each text colour in 16 steps: every pixel antialiased text makes.
func palette() color.Palette {
	p := color.Palette{background}
	for _, fg := range []color.RGBA{foreground, muted, accent} { // the inks' order
		for i := 0; i <= blendSteps; i++ {
			mix := func(a, b uint8) uint8 { return uint8((int(a)*(blendSteps-i) + int(b)*i) / blendSteps) }
			p = append(p, color.RGBA{mix(background.R, fg.R), mix(background.G, fg.G), mix(background.B, fg.B), 0xff})
		}
	}
	return p
}

// The text colours, in palette order.
const (
	inkForeground = iota
	inkMuted
	inkAccent
)

// drawText draws s with its baseline's left end at x, y: the glyphs'
// coverage into an alpha mask, then each covered pixel set to the blend
// of ink with the background nearest that coverage. Text of different
// inks never overlaps, so no blend of two inks is needed, and the
// palette's nearest-colour search is never run (it took most of a
// card's time).
func drawText(img *image.Paletted, face font.Face, ink int, x, y int, s string) {
	b, _ := font.BoundString(face, s)
	r := image.Rect(x+b.Min.X.Floor(), y+b.Min.Y.Floor(), x+b.Max.X.Ceil(), y+b.Max.Y.Ceil()).Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	mask := image.NewAlpha(r)
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
	for py := r.Min.Y; py < r.Max.Y; py++ {
		// The rows of both, read and written straight.
		src := mask.Pix[mask.PixOffset(r.Min.X, py):][:r.Dx()]
		dst := img.Pix[img.PixOffset(r.Min.X, py):][:r.Dx()]
		for i, a := range src {
			if a > 0 {
				dst[i] = uint8(1 + ink*(blendSteps+1) + (int(a)*blendSteps+127)/255)
			}
		}
	}
}

// clean makes s one line of printable text.
func clean(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }), " ")
}

// wrap breaks s into lines no wider than width; a word wider than a line
// is cut to fit.
func wrap(face font.Face, s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		next := w
		if cur != "" {
			next = cur + " " + w
		}
		if font.MeasureString(face, next).Ceil() <= width {
			cur = next
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = fit(face, w, width)
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// fit shortens s with an ellipsis until it is no wider than width.
func fit(face font.Face, s string, width int) string {
	if font.MeasureString(face, s).Ceil() <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && font.MeasureString(face, string(r)+"…").Ceil() > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}
