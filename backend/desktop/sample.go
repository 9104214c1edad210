package desktop

import (
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/sample"
)

// ExploreSampleData opens the sample data from the first-run screen —
// made and seeded on first use (package sample), else reopened — and logs
// the evaluator in as its administrator, with no password to type. The
// real data directory is not touched; the REST API and the SSH CLI stay
// off while the sample is open (startOpen).
func (s *Session) ExploreSampleData() (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	const op = "explore sample data"
	if s.sample != nil {
		return s.state(), nil // a second click
	}
	if s.state().Phase != PhaseSetup {
		return s.state(), s.fail(op, apperr.New(apperr.Conflict, "Sample data can be explored only before Hostbound is set up"))
	}
	t0 := time.Now()
	realDir := s.cfg.Life.State().DataDir
	made := !sample.Exists(realDir)
	life, err := sample.Open(realDir, sample.Config{Log: s.cfg.Log, Now: s.cfg.Clock, Hasher: s.cfg.SampleHasher})
	if err != nil {
		return s.state(), s.fail(op, err)
	}
	svc := life.Services()
	id, name, ok := svc.Users.IDByName(sample.AdminUsername)
	if !ok {
		_ = life.Close()
		return s.state(), s.fail(op, apperr.New(apperr.Internal, "the sample data has no administrator"))
	}
	// A first-run screen over an open real store (its key made, no
	// administrator yet) had the servers running over it: off while the
	// sample is open, back when it closes.
	s.cfg.API.Stop()
	if s.cfg.SSH != nil {
		s.cfg.SSH.Stop()
	}
	s.sample, s.life = life, life
	s.startOpen()
	s.actor = &access.Actor{UserID: id, Username: name, Kind: access.KindOperator, Source: access.SourceDesktop}
	s.lastActive = s.cfg.Clock()
	s.log.WithFields(logrus.Fields{"op": op, "dir": life.State().DataDir, "made": made,
		"ms": time.Since(t0).Milliseconds()}).Info("sample data opened")
	return s.state(), nil
}

// LeaveSampleData closes the sample data and returns to the first-run
// screen; with discard, it deletes the sample's directory too (also when
// the sample is not open).
func (s *Session) LeaveSampleData(discard bool) (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	const op = "leave sample data"
	var err error
	if s.actor != nil && s.sample != nil {
		s.logOut("left the sample data") // closes it
	} else if s.sample != nil {
		err = s.closeSample()
	}
	if err != nil {
		return s.state(), s.fail(op, err)
	}
	if discard {
		if err := sample.Discard(s.cfg.Life.State().DataDir); err != nil {
			return s.state(), s.fail(op, err)
		}
		s.log.WithField("op", op).Info("sample data discarded")
	}
	return s.state(), nil
}

// closeSample closes the open sample's store and puts the real data
// directory back; called with mu held. The real vault, when it was open,
// gets its REST API and SSH CLI back.
func (s *Session) closeSample() error {
	s.verifying.Wait() // its chain verification must not read a closed store
	life := s.sample
	s.sample, s.life, s.opened, s.integrity, s.pendingKey = nil, s.cfg.Life, nil, IntegrityResult{}, nil
	s.actor = nil
	err := life.Close()
	s.startOpen()
	return err
}
