// Package passgen makes passwords by policy (PMP's /passwords/generate and
// the account form's Generate button).
//
// A policy is a length and the character classes a password draws from,
// each with a minimum count. Every character is drawn with crypto/rand
// from the union of the policy's classes, then the minimums are met by
// replacing characters at random positions, so no class sits at a fixed
// place. The policies:
//
//	Strong  20 characters: lower, upper, digits, specials; at least 2 of each
//	Medium  14 characters: lower, upper, digits; at least 1 of each
//	Low     10 characters: lower, digits; at least 1 of each
//
// Strong holds about 128 bits (20 × log2(88)), Medium about 83, Low 51.
package passgen

import (
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
)

// Character classes. Specials avoid quotes, backslash and space, which
// break shell lines and config files.
const (
	Lower   = "abcdefghijklmnopqrstuvwxyz"
	Upper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	Digits  = "0123456789"
	Special = "!#$%&()*+,-./:;<=>?@[]^_{|}~"
)

// Class is a set of characters and how many a password holds at least.
type Class struct {
	Chars string
	Min   int
}

// Policy is a password policy.
type Policy struct {
	Name    string
	Length  int
	Classes []Class
}

// Policies are the built-in policies, strongest first.
var Policies = []Policy{
	{Name: "Strong", Length: 20, Classes: []Class{{Lower, 2}, {Upper, 2}, {Digits, 2}, {Special, 2}}},
	{Name: "Medium", Length: 14, Classes: []Class{{Lower, 1}, {Upper, 1}, {Digits, 1}}},
	{Name: "Low", Length: 10, Classes: []Class{{Lower, 1}, {Digits, 1}}},
}

// DefaultPolicy is the policy used when none is named.
const DefaultPolicy = "Strong"

// ErrUnknownPolicy: no policy has that name.
var ErrUnknownPolicy = errors.New("unknown password policy")

// Find returns the policy with this name (any case; blank for the
// default).
func Find(name string) (Policy, error) {
	if strings.TrimSpace(name) == "" {
		name = DefaultPolicy
	}
	for _, p := range Policies {
		if strings.EqualFold(p.Name, strings.TrimSpace(name)) {
			return p, nil
		}
	}
	return Policy{}, ErrUnknownPolicy
}

// Names lists the policies' names.
func Names() []string {
	out := make([]string, len(Policies))
	for i, p := range Policies {
		out[i] = p.Name
	}
	return out
}

// Generate returns a fresh password that meets p.
func (p Policy) Generate() string {
	var all strings.Builder
	for _, c := range p.Classes {
		all.WriteString(c.Chars)
	}
	pw := make([]byte, p.Length)
	for i := range pw {
		pw[i] = pick(all.String())
	}
	// Meet each class's minimum at positions not yet claimed by another.
	free := make([]int, p.Length)
	for i := range free {
		free[i] = i
	}
	for _, c := range p.Classes {
		for range c.Min {
			j := randInt(len(free))
			pw[free[j]] = pick(c.Chars)
			free = append(free[:j], free[j+1:]...)
		}
	}
	return string(pw)
}

// Meets reports whether pw has p's length and classes.
func (p Policy) Meets(pw string) bool {
	if len(pw) != p.Length {
		return false
	}
	counted := 0
	for _, c := range p.Classes {
		n := 0
		for _, r := range pw {
			if strings.ContainsRune(c.Chars, r) {
				n++
			}
		}
		if n < c.Min {
			return false
		}
		counted += n
	}
	return counted == len(pw)
}

func pick(chars string) byte { return chars[randInt(len(chars))] }

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand does not fail (Go 1.24+)
	}
	return int(v.Int64())
}
