package applog

import (
	"strings"

	"github.com/sirupsen/logrus"
)

// Badger adapts a logrus logger to badger.Logger. Badger is chatty at info;
// the store opens it with this adapter and lets only warnings and errors
// through.
type Badger struct{ L logrus.FieldLogger }

func (b Badger) Errorf(f string, a ...any)   { b.L.Errorf(strings.TrimSpace(f), a...) }
func (b Badger) Warningf(f string, a ...any) { b.L.Warnf(strings.TrimSpace(f), a...) }
func (b Badger) Infof(string, ...any)        {}
func (b Badger) Debugf(string, ...any)       {}

// Wails adapts a logrus logger to Wails' logger.Logger interface.
type Wails struct{ L logrus.FieldLogger }

func (w Wails) Print(m string)   { w.L.Info(m) }
func (w Wails) Trace(m string)   { w.L.Debug(m) }
func (w Wails) Debug(m string)   { w.L.Debug(m) }
func (w Wails) Info(m string)    { w.L.Info(m) }
func (w Wails) Warning(m string) { w.L.Warn(m) }
func (w Wails) Error(m string)   { w.L.Error(m) }
func (w Wails) Fatal(m string)   { w.L.Error(m) }
