package web

import _ "embed"

// WorkerJS is the service worker's template, for go-app's
// Handler.ServiceWorkerTemplate: go-app's own worker took control of pages
// before it had cached them (see worker.js).
//
//go:embed worker.js
var WorkerJS string
