package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
	"github.com/longcall/longcall/ui"
	"github.com/longcall/longcall/ui/examples"
	"github.com/longcall/longcall/web"
)

// serving is a running server, as run hands it to its caller.
type serving struct {
	URL       string
	DebugURL  string // the profiles' listener, when -debug-addr is set
	Callbacks *server.Server
	Jobs      *jobs.InProcess
}

// run serves until ctx ends, then shuts down: running jobs get cfg.grace to
// finish. ready hears of the server once the listener is up.
func run(ctx context.Context, cfg config, ready func(*serving)) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	debugURL, err := serveDebug(ctx, cfg.debugAddr, log)
	if err != nil {
		return err
	}
	if cfg.role == "worker" {
		return runWorker(ctx, cfg, log, func(s *serving) { // no pages: redis.go
			s.DebugURL = debugURL
			ready(s)
		})
	}
	files, err := assetFiles(ctx, cfg.build, cfg.webDir)
	if err != nil {
		return err
	}
	assets, err := web.Load(files)
	if err != nil {
		return err
	}

	managers, stopJobs, err := backgroundJobs(cfg, log) // in-process, or on Redis: redis.go
	if err != nil {
		return err
	}
	uploads, err := fileStore(cfg.redis) // uploads and downloads: redis.go
	if err != nil {
		stopJobs(context.Background())
		return err
	}
	metrics := newRegistry()
	serverCfg := server.Config{
		Managers:     managers,
		Logger:       log,
		SessionGrace: cfg.sessionGrace,
		Secret:       []byte(cfg.secret),
		Metrics:      metrics,
		Files:        uploads,
	}
	cfg.ops.apply(&serverCfg)
	callbacks := server.New(serverCfg)
	examples.Routes()
	if err := examples.Validate(); err != nil {
		return fmt.Errorf("the dashboards' callbacks do not match their layouts:\n%w", err)
	}

	mux := http.NewServeMux()
	mux.Handle(protocol.Path, callbacks)
	mux.Handle(protocol.UploadPath, callbacks.Files())
	mux.Handle(protocol.FilesPath, callbacks.Files())
	mux.Handle("/", pages(assets))
	operate(mux, callbacks, metrics)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	hs := &http.Server{Handler: logRequests(log, secureHeaders(mux)), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	ready(&serving{URL: "http://" + ln.Addr().String(), DebugURL: debugURL, Callbacks: callbacks, Jobs: inProcess(managers[""])})

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	return shutdown(log, cfg.grace, callbacks, hs, stopJobs)
}

// pages is go-app's handler: the pages, the PWA files, and /web/ assets;
// its app.js registers the service worker after the first render.
func pages(assets *web.Assets) http.Handler {
	return web.RenderFirst(&app.Handler{
		Name:        "longcall",
		ShortName:   "longcall",
		Title:       "longcall — background callbacks for Go dashboards",
		Description: "Long jobs behind a dashboard: progress, cancel and results pushed over one websocket.",
		Icon: app.Icon{
			Default:  "/web/icons/icon-192.png",
			Large:    "/web/icons/icon-512.png",
			Maskable: "/web/icons/icon-maskable-512.png",
			SVG:      "/web/icons/icon.svg",
		},
		BackgroundColor: "#1f2a44",
		ThemeColor:      "#1f2a44",
		Styles:          []string{"/web/app.css"},
		// No Scripts: plotly.js, as large as the app, is loaded by the pages
		// that draw a chart (ui.Graph), not before every first render.
		// Every page opens offline, not only "/": go-app's worker serves
		// what it cached, cache first, plotly.js included.
		CacheableResources: append(examplePaths(), "/web/icons/icon.svg", ui.PlotlyScript),
		Resources:          assets,
		Version:            assets.Version(),
		WasmContentLength:  fmt.Sprint(assets.WasmSize()),
	})
}

func examplePaths() []string {
	paths := make([]string, len(examples.All))
	for i, e := range examples.All {
		paths[i] = e.Path
	}
	return paths
}

// assetFiles returns web/: embedded in a production build, else on disk,
// built first when build is set; or dir, as it is, when given.
func assetFiles(ctx context.Context, build bool, dir string) (fs.FS, error) {
	if dir != "" {
		return os.DirFS(dir), nil
	}
	if files := web.Embedded(); files != nil {
		return files, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	if build {
		if err := buildAssets(ctx, root); err != nil {
			return nil, err
		}
	}
	return os.DirFS(root + "/web"), nil
}
