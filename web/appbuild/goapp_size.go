package appbuild

// goappSizeEdits take go-app's encrypted storage out of the browser's
// build: with google/uuid (whose crypto/md5 and crypto/sha1 register
// themselves) it was all that linked Go's crypto (the FIPS 140 module: AES,
// GCM, SHA-2 and SHA-3, its DRBG and self-checks) into the demo's wasm,
// 58 KB of it in brotli with runtime's and runtime/client's uses
// (docs/BENCHMARKS.md). The exported API (Context.Encrypt and Decrypt,
// State.PersistWithEncryption) goes, so that an app whose browser code uses
// it fails to build against the copy and is built with go-app as it is
// (BuildWasm); go-app's own calls go to unexported copies, whose encrypt
// and decrypt (goapp/crypto.go.txt) say this build has no encryption.
// uuid.NewString, go-app's device and broadcast ids, is newUUID there: the
// same random version 4 UUID from the browser's crypto.getRandomValues.
var goappSizeEdits = []goappEdit{
	{file: "context.go", old: "\t\"github.com/google/uuid\"\n", new: ""},
	{file: "context.go", old: "\tid = uuid.NewString()\n", new: "\tid = newUUID()\n"},
	{file: "context.go", old: "// Encrypt enciphers a value using AES encryption.\nfunc (ctx Context) Encrypt(v any) ([]byte, error) {",
		new: "// longcall: Encrypt, unexported (web/appbuild/goapp_size.go).\nfunc (ctx Context) encryptValue(v any) ([]byte, error) {"},
	{file: "context.go", old: "// Decrypt deciphers encrypted data into a given reference value.\nfunc (ctx Context) Decrypt(crypted []byte, v any) error {",
		new: "// longcall: Decrypt, unexported (web/appbuild/goapp_size.go).\nfunc (ctx Context) decryptValue(crypted []byte, v any) error {"},
	{file: "state.go", old: "\t\"github.com/google/uuid\"\n", new: ""},
	{file: "state.go", old: "\t\tm.broadcastStoreID = uuid.NewString()\n", new: "\t\tm.broadcastStoreID = newUUID()\n"},
	{file: "state.go", old: `// PersistWithEncryption ensures the state is persisted into the local storage
// with encryption.
func (s State) PersistWithEncryption() State {
	return s.persist(s, true)
}
`, new: "// longcall: no PersistWithEncryption (web/appbuild/goapp_size.go).\n"},
	{file: "state.go", old: "return ctx.Decrypt(value.EncryptedValue, receiver)", new: "return ctx.decryptValue(value.EncryptedValue, receiver)"},
	{file: "state.go", old: "b, err := s.ctx.Encrypt(s.value)", new: "b, err := s.ctx.encryptValue(s.value)"},
}

// allGoappEdits are the changes made to go-app's copy for the browser.
func allGoappEdits() []goappEdit {
	return append(append([]goappEdit(nil), goappEdits...), goappSizeEdits...)
}
