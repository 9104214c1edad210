package authguard

import (
	"net/netip"
)

// Nodes that serve one shared store (PostgreSQL) hold one limit between
// them: each failure is told to the other nodes (Config.Share), whose
// guards spend a token of the same source key (Remote). An attacker who
// spreads attempts over n nodes then gets Burst per Window in all, not
// n×Burst. Only the count crosses: each node records its own failures.
//
// The message is the source key's text ("192.0.2.7/32"), which the store
// encrypts in transit. Remote takes a token without the record, so a
// failure is written once, by the node that saw it.

// Remote counts a failure another node saw from the source key in msg;
// a message that is not a source key is ignored.
func (g *Guard) Remote(msg []byte) {
	k, err := netip.ParsePrefix(string(msg))
	if err != nil || k != Key(k.Addr()) {
		return
	}
	g.mu.Lock()
	g.take(k, g.clock())
	g.mu.Unlock()
}

// shareMsg is what Share is given for key k.
func shareMsg(k netip.Prefix) []byte { return []byte(k.String()) }
