// Stops `npm run test:pg` with a clear message when the PostgreSQL URL is missing, instead of
// silently running the PGlite suite a second time.
for (const name of process.argv.slice(2)) {
  if (!process.env[name]) {
    console.error(`${name} is not set: e.g. ${name}=postgres://postgres@127.0.0.1:5432/postgres npm run test:pg`);
    process.exit(2);
  }
}
