package store

// Remote moves: the PostgreSQL engine moves a generation when another
// node commits under its prefixes, and moves every generation while it
// may be missing such news (pg_listen.go).

// LoadRemote returns the count of remote moves: another node's commits
// under g's prefixes, and the times this node could not hear of them (its
// listener was down). Only these move it, never this node's own commits;
// a cache that local commits keep up to date itself (the users index)
// reloads when it moves. Every remote move also moves Load.
func (g *Gen) LoadRemote() uint64 { return g.remote.Load() }

// moveRemote moves the remote counter first, so a reader that sees Load
// move and then reads LoadRemote sees it moved too.
func (g *Gen) moveRemote() {
	g.remote.Add(1)
	g.n.Add(1)
}

// moveAllRemote moves every generation of the store.
func (ws *watchSet) moveAllRemote() {
	if p := ws.watches.Load(); p != nil {
		for _, g := range *p {
			g.moveRemote()
		}
	}
}
