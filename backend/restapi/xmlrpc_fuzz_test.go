package restapi

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseXMLRPC: any body parses or is refused, never a panic; what
// parses has a method name and at most 16 parameters, and a DTD never
// parses.
func FuzzParseXMLRPC(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0"?><methodCall><methodName>pmp.password.retrieve</methodName><params><param><value><string>db01</string></value></param><param><value>postgres</value></param></params></methodCall>`,
		`<methodCall><methodName>m</methodName><params><param><value><int>7</int></value></param></params></methodCall>`,
		`<!DOCTYPE m [<!ENTITY x "y">]><methodCall><methodName>&x;</methodName></methodCall>`,
		`<methodCall><methodName>m</methodName><params><param><value><struct></struct></value></param></params></methodCall>`,
		`<methodCall>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := parseXMLRPC(body)
		if err != nil {
			return
		}
		if c.Method == "" || len(c.Params) > 16 {
			t.Fatalf("parsed %+v", c)
		}
		for _, p := range c.Params {
			if !utf8.ValidString(p) {
				t.Fatalf("invalid UTF-8 parameter %q", p)
			}
		}
	})
}
