// Package reliability holds Hostbound's reliability and security suite: it
// builds the real binary, runs `hostbound serve` against data directories it
// sets up with the domain packages, and proves under faults and attacks that
// acknowledged writes survive, nothing leaks and bad input gets clean errors.
//
// Everything is in the tests. They skip unless HOSTBOUND_RELIABILITY is set:
// `make reliability` runs the quick checks (crash safety with 5 kills, brute
// force, secret leaks, bad input, concurrent key regeneration, disk full),
// `make soak` the long ones (20 kills, 64 clients for SOAK_DURATION).
package reliability
