package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The map of the house. A package listed nowhere under hostbound/backend is
// a domain package.
var (
	// faces: the adapters, each a set of packages. apiserver is part of the
	// REST face until it is merged into restapi. A face not written yet is
	// simply absent from the graph.
	faces = map[string][]string{
		"desktop": {"hostbound/backend/desktop"},
		"REST":    {"hostbound/backend/restapi", "hostbound/backend/apiserver"},
		"SSH":     {"hostbound/backend/sshcli"},
		"XML-RPC": {"hostbound/backend/xmlrpc"},
		"CLI":     {"hostbound/backend/cli"},
	}
	// roots: the composition roots, the only packages that may import a face.
	roots = []string{"hostbound", "hostbound/backend/core", "hostbound/backend/headless"}
	// support: test helpers and harnesses, held to no layer's rules but 4.
	support = []string{"hostbound/backend/internal", "hostbound/backend/reliability"}
	// parsers: pure functions of outside input, fuzzed; no storage.
	parsers = []string{"hostbound/backend/apikey", "hostbound/backend/hostcheck", "hostbound/backend/credentials",
		"hostbound/backend/onboard", "hostbound/backend/passgen"}

	// viaAllowed: third-party packages a domain package may reach net/http
	// through, because they link it without serving or calling HTTP. Each
	// needs its reason.
	viaAllowed = map[string]string{
		"github.com/dgraph-io/badger/v4": "the store's database; its expvar metrics register on " +
			"http.DefaultServeMux, which nothing serves, and OpenTelemetry's propagation links net/http for tracing we do not use",
	}
)

const (
	domainRoot = "hostbound/backend"
	storePkg   = "hostbound/backend/store"
	wails      = "github.com/wailsapp/wails"
	netHTTP    = "net/http"
)

// graph maps an import path to its direct, non-test imports.
type graph map[string][]string

// under: p is root or a package below it.
func under(p, root string) bool { return p == root || strings.HasPrefix(p, root+"/") }

func underAny(p string, roots []string) bool {
	return slices.ContainsFunc(roots, func(r string) bool { return under(p, r) })
}

func ours(p string) bool { return under(p, "hostbound") }

func faceOf(p string) string {
	for name, pkgs := range faces {
		if underAny(p, pkgs) {
			return name
		}
	}
	return ""
}

// Roots match exactly: "hostbound" is main, not the whole module.
func isRoot(p string) bool { return slices.Contains(roots, p) }

func isDomain(p string) bool {
	return under(p, domainRoot) && p != domainRoot && faceOf(p) == "" && !isRoot(p) && !underAny(p, support)
}

// violation is one import that breaks a rule: Pkg reaches Hit by Chain
// (Pkg first, Hit last).
type violation struct {
	Rule  int
	Pkg   string
	Hit   string
	Chain []string
}

var ruleText = map[int]string{
	1: "a face imports another face",
	2: "a domain package imports Wails or net/http",
	3: "a parser imports the store",
	4: "a package other than a composition root imports a face",
}

func (v violation) String() string {
	return fmt.Sprintf("rule %d, %s: %s imports %s (%s)", v.Rule, ruleText[v.Rule], v.Pkg, v.Hit, strings.Join(v.Chain, " → "))
}

// reach walks g breadth-first from pkg, imports in sorted order, and
// returns the shortest chain to every package hit accepts. It does not walk
// on from a hit, nor into a package enter refuses.
func reach(g graph, pkg string, hit, enter func(string) bool) [][]string {
	parent := map[string]string{pkg: ""}
	queue := []string{pkg}
	var chains [][]string
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		imports := slices.Sorted(slices.Values(g[p]))
		for _, q := range imports {
			if _, seen := parent[q]; seen {
				continue
			}
			parent[q] = p
			switch {
			case hit(q):
				chain := []string{q}
				for x := p; x != ""; x = parent[x] {
					chain = append(chain, x)
				}
				slices.Reverse(chain)
				chains = append(chains, chain)
			case enter(q):
				queue = append(queue, q)
			}
		}
	}
	return chains
}

// check returns every violation in g, in a stable order.
func check(g graph) []violation {
	var out []violation
	add := func(rule int, chains ...[]string) {
		for _, c := range chains {
			out = append(out, violation{Rule: rule, Pkg: c[0], Hit: c[len(c)-1], Chain: c})
		}
	}
	allowed := slices.Collect(maps.Keys(viaAllowed))
	for _, p := range slices.Sorted(maps.Keys(g)) {
		if !ours(p) {
			continue
		}
		face := faceOf(p)
		// 1: transitively, through any of our packages (a composition
		// root included: a face that imports core gets every face core wires).
		if face != "" {
			add(1, reach(g, p, func(q string) bool { f := faceOf(q); return f != "" && f != face }, ours)...)
		}
		// 2: transitively, through anything but the allowed third parties;
		// one chain for each of Wails and net/http is enough.
		if isDomain(p) {
			seen := map[string]bool{}
			for _, c := range reach(g, p,
				func(q string) bool { return under(q, wails) || q == netHTTP },
				func(q string) bool { return !underAny(q, allowed) }) {
				kind := netHTTP
				if under(c[len(c)-1], wails) {
					kind = wails
				}
				if !seen[kind] {
					seen[kind] = true
					add(2, c)
				}
			}
		}
		// 3: transitively.
		if underAny(p, parsers) {
			add(3, reach(g, p, func(q string) bool { return under(q, storePkg) }, ours)...)
		}
		// 4: directly; a face importing a face is rule 1's.
		if face == "" && !isRoot(p) {
			for _, q := range slices.Sorted(slices.Values(g[p])) {
				if faceOf(q) != "" {
					add(4, []string{p, q})
				}
			}
		}
	}
	return out
}

func TestRulesOnAFakeGraph(t *testing.T) {
	t.Parallel()
	const (
		main     = "hostbound"
		core     = "hostbound/backend/core"
		desktop  = "hostbound/backend/desktop"
		restapi  = "hostbound/backend/restapi"
		apisrv   = "hostbound/backend/apiserver"
		sshcli   = "hostbound/backend/sshcli"
		vault    = "hostbound/backend/vault"
		users    = "hostbound/backend/users"
		store    = "hostbound/backend/store"
		apikey   = "hostbound/backend/apikey"
		testenv  = "hostbound/backend/internal/testenv"
		badger   = "github.com/dgraph-io/badger/v4"
		badgerY  = "github.com/dgraph-io/badger/v4/y"
		client   = "github.com/example/httpclient"
		wruntime = "github.com/wailsapp/wails/v2/pkg/runtime"
	)
	type hit struct {
		rule     int
		pkg, hit string
	}
	cases := []struct {
		name string
		g    graph
		want []hit
	}{
		{"a clean graph passes", graph{
			main:     {core, desktop, "github.com/wailsapp/wails/v2", "net/http"},
			core:     {restapi, apisrv, vault},
			desktop:  {vault, users, "github.com/wailsapp/wails/v2"},
			restapi:  {vault, netHTTP},
			apisrv:   {restapi, netHTTP},
			vault:    {users, store},
			users:    {apikey, store},
			store:    {badger},
			badger:   {badgerY},
			badgerY:  {"expvar"},
			"expvar": {netHTTP},
			apikey:   {"crypto/hmac"},
		}, nil},
		{"a face importing a face is reported", graph{
			desktop: {restapi},
		}, []hit{{1, desktop, restapi}}},
		{"a face importing apiserver imports the REST face", graph{
			desktop: {apisrv},
			apisrv:  {restapi},
		}, []hit{{1, desktop, apisrv}}},
		{"a face reaching a face through a composition root is reported", graph{
			sshcli: {core},
			core:   {restapi},
		}, []hit{{1, sshcli, restapi}}},
		{"a domain package importing net/http transitively is reported", graph{
			vault:  {users},
			users:  {client},
			client: {"net/url", netHTTP},
		}, []hit{{2, users, netHTTP}, {2, vault, netHTTP}}},
		{"a domain package importing Wails is reported", graph{
			users: {wruntime},
		}, []hit{{2, users, wruntime}}},
		{"one chain is enough for each of Wails and net/http", graph{
			users:  {"github.com/wailsapp/wails/v2/pkg/options", wruntime, client},
			client: {netHTTP},
		}, []hit{{2, users, "github.com/wailsapp/wails/v2/pkg/options"}, {2, users, netHTTP}}},
		{"net/http reached only through the database is allowed", graph{
			store:    {badger, badgerY},
			badger:   {badgerY},
			badgerY:  {"expvar"},
			"expvar": {netHTTP},
		}, nil},
		{"a parser reaching the store through a domain package is reported", graph{
			apikey: {users},
			users:  {store},
		}, []hit{{3, apikey, store}}},
		{"a domain package importing a face is reported", graph{
			vault: {restapi},
		}, []hit{{4, vault, restapi}}},
		{"a test helper importing a face is reported", graph{
			testenv: {desktop},
		}, []hit{{4, testenv, desktop}}},
		{"every violation is reported, not only the first", graph{
			desktop: {restapi, sshcli},
			apikey:  {store},
			vault:   {desktop, netHTTP},
		}, []hit{{3, apikey, store}, {1, desktop, restapi}, {1, desktop, sshcli}, {2, vault, netHTTP}, {4, vault, desktop}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var got []hit
			for _, v := range check(c.g) {
				got = append(got, hit{v.Rule, v.Pkg, v.Hit})
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("got  %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestAViolationNamesPackageImportAndChain(t *testing.T) {
	t.Parallel()
	v := violation{Rule: 2, Pkg: "hostbound/backend/vault", Hit: "net/http", Chain: []string{"hostbound/backend/vault", "github.com/example/httpclient", "net/http"}}
	want := "rule 2, a domain package imports Wails or net/http: hostbound/backend/vault imports net/http (hostbound/backend/vault → github.com/example/httpclient → net/http)"
	if v.String() != want {
		t.Fatalf("got  %s\nwant %s", v, want)
	}
}

// loadGraph lists every package of the module with all it depends on, test
// files left out. npm puts stray Go packages under frontend/node_modules:
// they are not ours.
func loadGraph(t *testing.T) graph {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps", "-json=ImportPath,Imports,Error", "hostbound/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	g := graph{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Imports    []string
			Error      *struct{ Err string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		if strings.Contains(p.ImportPath, "/node_modules/") {
			continue
		}
		// A missing frontend build (go:embed of frontend/dist) leaves the
		// imports whole; any other load error could hide some.
		if p.Error != nil && ours(p.ImportPath) && !strings.Contains(p.Error.Err, "no matching files found") {
			t.Errorf("%s cannot be listed, its imports are not checked: %s", p.ImportPath, p.Error.Err)
		}
		g[p.ImportPath] = p.Imports
	}
	if _, ok := g[storePkg]; !ok {
		t.Fatalf("go list found no %s: not run inside the module?", storePkg)
	}
	return g
}

func TestTheImportGraphKeepsItsArrows(t *testing.T) {
	t.Parallel()
	g := loadGraph(t)
	var domain []string
	for p := range g {
		if isDomain(p) {
			domain = append(domain, strings.TrimPrefix(p, domainRoot+"/"))
		}
	}
	slices.Sort(domain)
	t.Logf("domain packages: %s", strings.Join(domain, ", "))
	vs := check(g)
	if len(vs) == 0 {
		return
	}
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = "  " + v.String()
	}
	t.Errorf("%d imports break the architecture (CONVENTIONS.md, \"The house\"):\n%s", len(vs), strings.Join(lines, "\n"))
}
