package mathml

// spaces are the spacing commands and their widths.
var spaces = map[string]string{
	",": "0.167em", ":": "0.222em", ">": "0.222em", ";": "0.278em", "!": "-0.167em", " ": "0.333em",
	"quad": "1em", "qquad": "2em",
}

// escaped are the characters a backslash makes literal: \{ is {, and \|
// the double bar.
var escaped = map[string]string{
	"{": "{", "}": "}", "$": "$", "%": "%", "#": "#", "&": "&", "_": "_", "|": "‖",
}

var greek = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
	"eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
	"xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
	"upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
	"Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}

// symbols are operators and relations, written as <mo>.
var symbols = map[string]string{
	"times": "×", "cdot": "⋅", "pm": "±", "mp": "∓", "div": "÷", "ast": "∗", "star": "⋆", "circ": "∘",
	"bullet": "∙", "oplus": "⊕", "otimes": "⊗", "cup": "∪", "cap": "∩", "setminus": "∖", "wedge": "∧",
	"vee": "∨", "land": "∧", "lor": "∨", "neg": "¬", "lnot": "¬",
	"le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "equiv": "≡",
	"sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫", "lt": "<", "gt": ">",
	"in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
	"mid": "∣", "parallel": "∥", "perp": "⊥", "vert": "|", "Vert": "‖",
	"to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
	"Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹", "impliedby": "⟸", "iff": "⟺", "mapsto": "↦",
	"uparrow": "↑", "downarrow": "↓", "longrightarrow": "⟶", "longleftarrow": "⟵",
	"forall": "∀", "exists": "∃", "nexists": "∄", "cdots": "⋯", "ldots": "…", "dots": "…", "vdots": "⋮",
	"ddots": "⋱", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "langle": "⟨", "rangle": "⟩",
	"lbrace": "{", "rbrace": "}", "colon": ":", "backslash": "\\", "triangleq": "≜", "coloneqq": "≔",
}

// ordinary are symbols written as <mi>.
var ordinary = map[string]string{
	"infty": "∞", "partial": "∂", "nabla": "∇", "emptyset": "∅", "varnothing": "∅", "ell": "ℓ",
	"hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "prime": "′", "top": "⊤", "bot": "⊥", "angle": "∠",
	"degree": "°",
}

var bigOps = map[string]string{
	"sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮",
	"bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂", "bigvee": "⋁", "bigwedge": "⋀",
}

// functions are upright names; true for those whose limits go under them
// in display math.
var functions = map[string]bool{
	"log": false, "ln": false, "lg": false, "exp": false, "sin": false, "cos": false, "tan": false,
	"sec": false, "csc": false, "cot": false, "arcsin": false, "arccos": false, "arctan": false,
	"sinh": false, "cosh": false, "tanh": false, "arg": false, "deg": false, "dim": false, "hom": false,
	"ker": false, "det": true, "gcd": true, "Pr": true, "lim": true, "liminf": true, "limsup": true,
	"max": true, "min": true, "sup": true, "inf": true, "argmax": true, "argmin": true,
}

var variants = map[string]string{
	"mathbf": "bold", "boldsymbol": "bold-italic", "mathit": "italic", "mathbb": "double-struck",
	"mathcal": "script", "mathsf": "sans-serif", "mathtt": "monospace", "mathfrak": "fraktur",
}

var accents = map[string]string{
	"hat": "^", "widehat": "^", "bar": "¯", "overline": "¯", "vec": "→", "overrightarrow": "→",
	"tilde": "~", "widetilde": "~", "dot": "˙", "ddot": "¨",
}

var delimiters = map[string]string{
	"{": "{", "}": "}", "|": "‖", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋",
	"lceil": "⌈", "rceil": "⌉", "vert": "|", "Vert": "‖", "lbrace": "{", "rbrace": "}",
}
