package main

import (
	"context"
	"net"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hostbound/backend/core"
	"hostbound/backend/desktop"
	"hostbound/backend/masterkey"
	"hostbound/backend/restapi"
	"hostbound/backend/sshcli"
	"hostbound/backend/users"
)

// App owns the wiring and the lifecycle; it has no business logic.
type App struct {
	ctx     context.Context
	log     logrus.FieldLogger
	session *desktop.Session
	users   *desktop.Users
	vault   *desktop.Vault
	audit   *desktop.Audit
	kill    *desktop.KillSwitch
	backup  *desktop.Backup
}

// NewApp wires the bound facades for the data directory.
func NewApp(dataDir, logFile, apiListen, storeURL string, log *logrus.Logger) *App {
	a := &App{log: log.WithField("component", "app")}
	life := core.NewLifecycle(dataDir, masterkey.NewOSKeyring(), core.Config{
		Log:    log,
		Clock:  time.Now,
		Hasher: users.DefaultHasher,
		// Host binding by hostname asks the system's DNS.
		Resolver:  net.DefaultResolver,
		APIListen: apiListen,
		StoreURL:  storeURL,
	})
	a.session = desktop.NewSession(desktop.Config{
		Life:    life,
		API:     restapi.NewRunner(life, time.Now, log),
		SSH:     sshServer{sshcli.NewRunner(life, time.Now, log)},
		LogFile: logFile,
		Log:     log,
		Clock:   time.Now,
		Emit:    a.emit,
		Version: version,
	})
	a.users, a.vault, a.audit = desktop.NewUsers(a.session), desktop.NewVault(a.session), desktop.NewAudit(a.session)
	a.kill = desktop.NewKillSwitch(a.session)
	a.backup = desktop.NewBackup(a.session, desktop.WailsBackupDialogs(func() context.Context { return a.ctx }))
	return a
}

// sshServer hands the SSH CLI's runner to the desktop, which imports no
// other face, in the desktop's own status type.
type sshServer struct{ *sshcli.Runner }

func (s sshServer) Status() desktop.SSHStatus { return desktop.SSHStatus(s.Runner.Status()) }

// emit sends a progress event to the window once it exists.
func (a *App) emit(event string, data any) {
	if a.ctx != nil {
		runtime.EventsEmit(a.ctx, event, data)
	}
}

// Bindings are the structs whose methods the frontend calls.
func (a *App) Bindings() []any {
	return []any{a.session, a.users, a.vault, a.audit, a.kill, a.backup, desktop.NewBulk(a.session, desktop.WailsDialogs(func() context.Context { return a.ctx }))}
}

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	desktop.LifecycleOf(a.session).Start()
}

func (a *App) shutdown(context.Context) {
	if err := desktop.LifecycleOf(a.session).Close(); err != nil {
		a.log.WithError(err).Error("close store")
	}
	a.log.Info("stopped")
}

// secondInstance brings this window forward when Hostbound is started again
// on the same data directory (see showAlreadyRunning in main.go).
func (a *App) secondInstance(options.SecondInstanceData) {
	runtime.WindowUnminimise(a.ctx)
	runtime.WindowShow(a.ctx)
}
