// Package authguard is where every face (the REST API now, the SSH and
// certificate faces later) throttles and records failed authentications.
//
// # Threat model
//
// The attacker has no credential and sends as many attempts as the network
// allows, from as many addresses as they hold. An IPv6 attacker holds at
// least a /64 and rotates inside it freely; an IPv4 attacker may hold a few
// addresses or a botnet. They want to guess a credential, to exhaust memory
// with per-source state, or to fill the disk and stall the store through
// the audit trail, where every failure used to be an fsync'd record holding
// up to 16 KiB of their text.
//
// What the guard does about it:
//
//   - Failures are limited per source key (Key: an IPv4 address, or an
//     IPv6 /64) by a token bucket of Burst failures per Window. A blocked
//     source is answered from memory: Blocked touches no store.
//   - Both tables are bounded (MaxSources) and evict the least recently
//     used entry in O(1). An attacker with more source keys than the bound
//     can push an idle source out of the limiter; a source that keeps
//     trying stays recent. Memory is bounded, exactness is not.
//   - Attacker text is cut: a record's Target to 256 bytes, its Reason to
//     512, its names to 256, on a UTF-8 boundary, marked with "…".
//   - Records are aggregated per source key and minute: the first failure
//     is written with its details, the rest of that minute as one record
//     with a count. Records grow with the number of source keys an attacker
//     holds, not with the number of attempts. A count is written before its
//     entry leaves the table, so no failure goes uncounted.
//
// What it does not do: an attacker with many source keys gets Burst
// attempts per Window and two records per minute from each. Guessing stays
// hopeless through the credential's size (see package apikey), not through
// this package.
package authguard
