package store

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sirupsen/logrus"

	"hostbound/backend/keys"
)

// Notifications between the nodes of one PostgreSQL database.
//
// A commit that moves watched generations also runs NOTIFY on pgChannel,
// in its transaction, so other nodes hear of it only if it commits. The
// payload is "<node> <tag> <tag> …": the sender's random node id (a node
// skips its own) and, for each prefix of every generation it moves, a tag
// = HMAC(prefix) under a key derived from the master key. A listener moves
// its generations that have a prefix among the tags: a reader of the
// database's notifications learns how often some prefix changes, never
// its name. Nodes run the same wiring (the same Watch calls), so their
// tags meet; a generation with several prefixes moves the others' on any
// of them (a spare reload, never a missed one). A process that watches
// nothing announces nothing: whatever writes to a shared database must
// wire the services whose caches others keep. A payload that would pass
// PostgreSQL's limit says "all". The NOTIFY costs the commit one round
// trip (it goes with the pending writes, before COMMIT).
//
// Messages (Store.Publish) go on pgMsgChannel as "<node> <topic tag>
// <base64(nonce || AES-GCM(msg))>", with topic and node as associated
// data: a message moved to another topic or changed does not open.

const (
	pgChannel    = pgTable
	pgMsgChannel = pgTable + "_msg"
	// pgMaxPayload: PostgreSQL refuses a NOTIFY payload of 8000 bytes or more.
	pgMaxPayload     = 7999
	pgAll            = "all"
	pgTagSize        = 8 // bytes of HMAC in a tag
	pgPublishTimeout = 2 * time.Second
)

var errMessageTooBig = errors.New("publish: the message is too big for a notification")

type pgNotifier struct {
	log     logrus.FieldLogger
	connCfg *pgx.ConnConfig // the listener's, a copy of the pool's
	node    string
	tagKey  []byte
	msgs    cipher.AEAD
	// watches is the store's generations, set once the store exists.
	watches atomic.Pointer[watchSet]
	tags    sync.Map // *Gen → []string, the tags of its prefixes

	subMu sync.RWMutex
	subs  map[string]*pgTopic // topic tag → subscribers

	pid       atomic.Uint32 // the listener connection's backend, 0 while down
	staleTick atomic.Int64  // pgStaleTick; a test makes it longer
	ctx       context.Context
	cancel    context.CancelFunc
	done      chan struct{} // closed when the listener has stopped
}

type pgTopic struct {
	name string
	fns  []func([]byte)
}

// newPgNotifier connects the listener (so no commit after Open goes
// unheard) and starts it.
func newPgNotifier(cfg *pgx.ConnConfig, key []byte, log logrus.FieldLogger) (*pgNotifier, error) {
	blk, err := aes.NewCipher(keys.Derive(key, keys.StorePostgresMessages))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(blk)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 8)
	rand.Read(id)
	n := &pgNotifier{
		log: log, connCfg: cfg, node: hex.EncodeToString(id),
		tagKey: keys.Derive(key, keys.StorePostgresNotify), msgs: aead,
		subs: map[string]*pgTopic{}, done: make(chan struct{}),
	}
	n.staleTick.Store(int64(pgStaleTick))
	n.ctx, n.cancel = context.WithCancel(context.Background())
	conn, err := n.connect()
	if err != nil {
		n.cancel()
		return nil, err
	}
	go n.run(conn)
	return n, nil
}

// stop ends the listener and waits for it.
func (n *pgNotifier) stop() {
	n.cancel()
	<-n.done
}

func (n *pgNotifier) tag(domain, name string) string {
	m := hmac.New(sha256.New, n.tagKey)
	m.Write([]byte(domain + "\x00" + name))
	return hex.EncodeToString(m.Sum(nil)[:pgTagSize])
}

func (n *pgNotifier) genTags(g *Gen) []string {
	if t, ok := n.tags.Load(g); ok {
		return t.([]string)
	}
	t := make([]string, len(g.prefixes))
	for i, p := range g.prefixes {
		t[i] = n.tag("prefix", p)
	}
	n.tags.Store(g, t)
	return t
}

// changePayload names the prefixes of the generations in touched.
func (n *pgNotifier) changePayload(touched map[*Gen]bool) string {
	seen := map[string]bool{}
	var b strings.Builder
	b.WriteString(n.node)
	for g := range touched {
		for _, t := range n.genTags(g) {
			if !seen[t] {
				seen[t] = true
				b.WriteString(" " + t)
			}
		}
	}
	if b.Len() > pgMaxPayload {
		return n.node + " " + pgAll
	}
	return b.String()
}

// announce: see announcer. The NOTIFY goes to the server with the
// transaction's COMMIT, in its batch (commit), so it costs no round trip
// of its own and fails as the commit does.
func (e *pgEngine) announce(t etxn, touched map[*Gen]bool) error {
	t.(*pgTxn).notify = e.notify.changePayload(touched)
	return nil
}

// changed moves the generations a change notification names.
func (n *pgNotifier) changed(payload string) {
	node, rest, _ := strings.Cut(payload, " ")
	ws := n.watches.Load()
	if node == n.node || ws == nil {
		return
	}
	if rest == pgAll {
		ws.moveAllRemote()
		return
	}
	named := map[string]bool{}
	for _, t := range strings.Fields(rest) {
		named[t] = true
	}
	gens := ws.watches.Load()
	if gens == nil {
		return
	}
	for _, g := range *gens {
		for _, t := range n.genTags(g) {
			if named[t] {
				g.moveRemote()
				break
			}
		}
	}
}

func (n *pgNotifier) sealMessage(node, topic string, msg []byte) string {
	out := make([]byte, pgNonceSize, pgNonceSize+len(msg)+n.msgs.Overhead())
	rand.Read(out)
	out = n.msgs.Seal(out, out, msg, []byte(topic+"\x00"+node))
	return base64.StdEncoding.EncodeToString(out)
}

func (e *pgEngine) publish(topic string, msg []byte) error {
	n := e.notify
	payload := n.node + " " + n.tag("topic", topic) + " " + n.sealMessage(n.node, topic, msg)
	if len(payload) > pgMaxPayload {
		return errMessageTooBig
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgPublishTimeout)
	defer cancel()
	if _, err := e.pool.Exec(ctx, "SELECT pg_notify($1, $2)", pgMsgChannel, payload); err != nil {
		return fmt.Errorf("publish: postgres: %w", err)
	}
	return nil
}

func (e *pgEngine) subscribe(topic string, fn func([]byte)) {
	n := e.notify
	tag := n.tag("topic", topic)
	n.subMu.Lock()
	defer n.subMu.Unlock()
	t := n.subs[tag]
	if t == nil {
		t = &pgTopic{name: topic}
		n.subs[tag] = t
	}
	t.fns = append(t.fns, fn)
}

// message opens a message and hands it to its topic's subscribers. One
// that does not open is dropped: someone with access to the database
// sent it, or changed it.
func (n *pgNotifier) message(payload string) {
	parts := strings.SplitN(payload, " ", 3)
	if len(parts) != 3 || parts[0] == n.node {
		return
	}
	n.subMu.RLock()
	t := n.subs[parts[1]]
	var fns []func([]byte)
	if t != nil {
		fns = t.fns
	}
	n.subMu.RUnlock()
	if t == nil {
		return // a topic no one here subscribed to
	}
	sealed, err := base64.StdEncoding.DecodeString(parts[2])
	var msg []byte
	if err == nil && len(sealed) >= pgNonceSize+n.msgs.Overhead() {
		msg, err = n.msgs.Open(nil, sealed[:pgNonceSize], sealed[pgNonceSize:], []byte(t.name+"\x00"+parts[0]))
	} else if err == nil {
		err = errBadStoredValue
	}
	if err != nil {
		n.log.Warn("store: dropped a message from another node that does not open (changed, or sent by someone without the key)")
		return
	}
	for _, fn := range fns {
		fn(bytes.Clone(msg)) // each fn's to keep
	}
}
