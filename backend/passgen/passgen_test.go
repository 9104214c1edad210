package passgen

import (
	"strings"
	"testing"
)

func TestEveryPolicyMakesPasswordsThatMeetIt(t *testing.T) {
	t.Parallel()
	for _, p := range Policies {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			seen := map[string]bool{}
			for range 2000 {
				pw := p.Generate()
				if !p.Meets(pw) {
					t.Fatalf("%q does not meet %s", pw, p.Name)
				}
				if seen[pw] {
					t.Fatalf("%q generated twice", pw)
				}
				seen[pw] = true
			}
		})
	}
}

func TestMeetsRefusesWhatAPolicyForbids(t *testing.T) {
	t.Parallel()
	low, _ := Find("low")
	for _, pw := range []string{"abcdefghij", "0123456789", "abcde1234", "abcde12345X", "abcd 12345"} {
		if low.Meets(pw) {
			t.Errorf("Low accepted %q", pw)
		}
	}
	if !low.Meets("abcde12345") {
		t.Error("Low refused abcde12345")
	}
}

func TestEveryPositionDrawsEveryClass(t *testing.T) {
	t.Parallel()
	// The minimums are placed at random: a special character shows up at
	// the first and the last position alike.
	p, _ := Find("Strong")
	first, last := 0, 0
	for range 3000 {
		pw := p.Generate()
		if strings.ContainsRune(Special, rune(pw[0])) {
			first++
		}
		if strings.ContainsRune(Special, rune(pw[len(pw)-1])) {
			last++
		}
	}
	if first < 300 || last < 300 {
		t.Errorf("specials at the first position %d times, at the last %d, of 3000", first, last)
	}
}

func TestFind(t *testing.T) {
	t.Parallel()
	if p, err := Find(""); err != nil || p.Name != DefaultPolicy {
		t.Errorf("blank = %v %v, want the default", p.Name, err)
	}
	if _, err := Find("Paranoid"); err != ErrUnknownPolicy {
		t.Errorf("unknown policy: %v", err)
	}
	if strings.Join(Names(), ",") != "Strong,Medium,Low" {
		t.Errorf("names %v", Names())
	}
}
