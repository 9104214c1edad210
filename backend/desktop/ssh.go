package desktop

import (
	"hostbound/backend/access"
	"hostbound/backend/services"
	"hostbound/backend/settings"
)

// SSHServer is the SSH CLI server as the desktop drives it (app.go adapts
// sshcli's runner to it; the desktop does not import another face):
// restarted when the vault opens or Settings change, stopped on close.
type SSHServer interface {
	Restart() error
	Stop()
	Status() SSHStatus
}

// SSHStatus is what the SSH CLI server reports about itself.
type SSHStatus struct {
	Running     bool   `json:"running"`
	Address     string `json:"address"`     // where it listens, or wanted to
	Fingerprint string `json:"fingerprint"` // SHA256:… of the host key
	Error       string `json:"error"`       // why it is not running
}

// msgNoSSH is the status of a build wired without the SSH CLI.
const msgNoSSH = "The SSH CLI is not available in this build"

// SSHServerInfo is the SSH CLI section of Settings.
type SSHServerInfo struct {
	SSHStatus
	Listen  string `json:"listen"`
	Enabled bool   `json:"enabled"`
}

func (s *Session) sshStatus() SSHStatus {
	if s.cfg.SSH == nil {
		return SSHStatus{Error: msgNoSSH}
	}
	return s.cfg.SSH.Status()
}

// GetSSHServer returns the SSH CLI's status and settings.
func (v *Vault) GetSSHServer() (SSHServerInfo, error) {
	var out SSHServerInfo
	err := v.run("view ssh cli settings", func(a access.Actor, svc *services.Services) error {
		set, err := svc.Settings.GetSSH(a)
		out = SSHServerInfo{SSHStatus: v.s.sshStatus(), Listen: set.Listen, Enabled: set.Enabled}
		return err
	})
	return out, err
}

// SaveSSHServer changes the SSH CLI settings and restarts it with them.
func (v *Vault) SaveSSHServer(listen string, enabled bool) (SSHServerInfo, error) {
	err := v.run("change ssh cli settings", func(a access.Actor, svc *services.Services) error {
		if err := svc.Settings.SaveSSH(a, settings.SSH{Listen: listen, Enabled: enabled}); err != nil {
			return err
		}
		// A failure to listen shows in the status, not as an error of Save.
		if v.s.cfg.SSH != nil {
			_ = v.s.cfg.SSH.Restart()
		}
		return nil
	})
	if err != nil {
		return SSHServerInfo{}, err
	}
	return v.GetSSHServer()
}
