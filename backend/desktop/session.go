package desktop

import "errors"

// Session is bound to the frontend: unlocking, first-run setup, login.
type Session struct{}

func (s *Session) GetAppState() AppState { return AppState{} }
func (s *Session) CreateFirstAdministrator(req SetupRequest) (AppState, error) {
	return AppState{}, errors.New("todo")
}
func (s *Session) Unlock(passphrase string) (AppState, error)        { return AppState{}, nil }
func (s *Session) LogIn(username, password string) (AppState, error) { return AppState{}, nil }
func (s *Session) LogOut() (AppState, error)                         { return AppState{}, nil }
func (s *Session) KeepAlive() error                                  { return nil }
func (s *Session) GetSecurityInfo() (SecurityInfo, error)            { return SecurityInfo{}, nil }
