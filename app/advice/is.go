package advice

import "errors"

// IsAny reports whether errors.Is(err, t) holds for one of targets: the
// sentinels of one kind of failure, for mapping errors to outcomes.
func IsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
