package rdb

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// MovedFrame on the events channel says that a job left the queue.
const MovedFrame = "moved"

// SubscribeEvents subscribes to the events channel, workers to web
// processes: frames (ParseFrame) and MovedFrame.
func (s *RDB) SubscribeEvents(ctx context.Context) (*redis.PubSub, error) {
	return subscribe(ctx, s.rdb, s.keys.events())
}

// SubscribeCancels subscribes to the cancels channel, web processes to
// workers: "<id> <cause>" (CauseOf).
func (s *RDB) SubscribeCancels(ctx context.Context) (*redis.PubSub, error) {
	return subscribe(ctx, s.rdb, s.keys.cancels())
}

// subscribe subscribes to channel and waits until Redis confirms, so that
// nothing published after it returns is missed.
func subscribe(ctx context.Context, rdb *redis.Client, channel string) (*redis.PubSub, error) {
	ps := rdb.Subscribe(ctx, channel)
	if _, err := ps.Receive(ctx); err != nil {
		ps.Close()
		return nil, err
	}
	return ps, nil
}
