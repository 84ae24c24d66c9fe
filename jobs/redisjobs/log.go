package redisjobs

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/hibiken/asynq"
)

// asynqLogger passes asynq's logs to slog.
type asynqLogger struct{ log *slog.Logger }

func (l asynqLogger) Debug(args ...any) { l.log.Debug("asynq: " + fmt.Sprint(args...)) }
func (l asynqLogger) Info(args ...any)  { l.log.Info("asynq: " + fmt.Sprint(args...)) }
func (l asynqLogger) Warn(args ...any)  { l.log.Warn("asynq: " + fmt.Sprint(args...)) }
func (l asynqLogger) Error(args ...any) { l.log.Error("asynq: " + fmt.Sprint(args...)) }

// Fatal is what asynq calls when it cannot go on, as log.Fatal.
func (l asynqLogger) Fatal(args ...any) {
	l.log.Error("asynq: " + fmt.Sprint(args...))
	os.Exit(1)
}

// asynqLevel keeps asynq's routine start and stop notices out of the log
// unless debugging: it filters before slog sees them.
func asynqLevel(log *slog.Logger) asynq.LogLevel {
	if log.Enabled(context.Background(), slog.LevelDebug) {
		return asynq.DebugLevel
	}
	return asynq.WarnLevel
}
