package advice

// Category is the kind of a failure, as a front end acts on it: the CLI maps
// it to its exit code, the GUI to where it shows the advice. Every sentinel
// error under app/ carries one (see Sentinel).
//
// Categories are ordered: when an error's chain holds sentinels of several
// categories, CategoryOf gives the greatest, so that a refused sign-in that
// also failed to connect counts as Auth. Failure is the zero value and the
// least, the category of an error nothing classifies.
type Category int

// The categories, from the least to the greatest.
const (
	// Failure is anything not classified below.
	Failure Category = iota
	// Usage is bad input: flags, arguments, a file or a value the person gave.
	Usage
	// Storage is mailkey's own files (configuration directory, accounts
	// file): not the person's input, though it may wrap file errors.
	Storage
	// Temporary is the network, a timeout or a rate limit: try again later.
	Temporary
	// Auth is credentials refused, or a sign-in needed.
	Auth
	// NoAccount is an account mailkey does not have.
	NoAccount
	// Keyring is no usable system keyring.
	Keyring
)

// String names the category as the CLI's documentation does.
func (c Category) String() string {
	switch c {
	case Usage:
		return "usage"
	case Storage:
		return "storage"
	case Temporary:
		return "temporary"
	case Auth:
		return "auth"
	case NoAccount:
		return "no account"
	case Keyring:
		return "keyring"
	}
	return "failure"
}

// sentinel is an error value compared with errors.Is that knows its category.
type sentinel struct {
	category Category
	text     string
	parent   error
}

func (s *sentinel) Error() string {
	if s.parent != nil {
		return s.parent.Error() + ": " + s.text
	}
	return s.text
}

func (s *sentinel) Unwrap() error { return s.parent }

// Category returns the sentinel's category.
func (s *sentinel) Category() Category { return s.category }

// Sentinel returns a new sentinel error whose message is text, of category c:
// the kind of failure that callers test with errors.Is and that CategoryOf
// finds in any error wrapping it.
func Sentinel(c Category, text string) error {
	return &sentinel{category: c, text: text}
}

// SentinelUnder returns a sentinel of category c that also matches parent
// with errors.Is: a narrower kind of parent's failure. Its message is
// parent's, then ": " and text.
func SentinelUnder(parent error, c Category, text string) error {
	return &sentinel{category: c, text: text, parent: parent}
}

// Categorized is an error that knows its category: a sentinel, or a type
// of error that stands for one (see CategoryOf).
type Categorized interface {
	error
	Category() Category
}

// CategoryOf returns the greatest category in err's chain (every error it
// wraps, through Unwrap() error and Unwrap() []error), or Failure when
// nothing in it has one.
func CategoryOf(err error) Category {
	best := Failure
	var walk func(error)
	walk = func(e error) {
		for e != nil {
			if c, ok := e.(Categorized); ok && c.Category() > best {
				best = c.Category()
			}
			switch u := e.(type) {
			case interface{ Unwrap() []error }:
				for _, inner := range u.Unwrap() {
					walk(inner)
				}
				return
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			default:
				return
			}
		}
	}
	walk(err)
	return best
}
