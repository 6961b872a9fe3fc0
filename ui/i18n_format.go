package ui

import (
	"fmt"
	"strings"
	"time"
)

var (
	frWeekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frMonths   = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// longDate writes t in local time as a day, date and time in the current
// language: "Monday 2 January 2006 at 15:04", "lundi 2 janvier 2006 à 15:04".
// Go's time formatting knows only English names.
func longDate(t time.Time) string {
	t = t.Local()
	if currentLanguage() != "fr" {
		return t.Format("Monday 2 January 2006 at 15:04")
	}
	return fmt.Sprintf("%s %d %s %d à %s", frWeekdays[t.Weekday()], t.Day(), frMonths[t.Month()-1], t.Year(), t.Format("15:04"))
}

// decimal writes f with one decimal, with the current language's decimal
// mark: "1.5" in English, "1,5" in French.
func decimal(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	if currentLanguage() == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
