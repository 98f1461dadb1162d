//! A throwaway PostgreSQL cluster: made in a temporary folder, listening on a free port of
//! 127.0.0.1, stopped and removed when dropped. What the tests (and anyone trying the
//! store without a database of their own) run against.
//!
//! It needs PostgreSQL's server programs (`initdb`, `pg_ctl`): Debian's `postgresql`
//! package puts them in `/usr/lib/postgresql/<version>/bin`, which is searched before the
//! `PATH`. PostgreSQL refuses to run as root, so as root the cluster is made and run as
//! the `postgres` user (which that package creates) through `runuser`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

/// A running throwaway cluster; dropping it stops the server and removes its files.
pub struct Scratch {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
    /// Whether the server was started (and so is stopped when dropped).
    started: bool,
}

impl Scratch {
    /// Makes a cluster in a new temporary folder and starts it (trust authentication,
    /// user `postgres`, only on 127.0.0.1). The error says what is missing or failed.
    pub fn start() -> Result<Scratch, String> {
        let bin = server_programs()?;
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!(
            "decider-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        let mut scratch = Scratch {
            bin,
            dir,
            port: free_port()?,
            as_postgres,
            started: false,
        };
        if as_postgres {
            scratch.run("chown", &["postgres:postgres", &scratch.dir_text()], false)?;
        }
        let data = scratch.data_text();
        scratch.run(
            "initdb",
            &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            true,
        )?;
        let options = format!(
            "-h 127.0.0.1 -p {} -k {} -c fsync=off",
            scratch.port,
            scratch.dir_text()
        );
        let log = scratch.dir.join("server.log").to_string_lossy().to_string();
        scratch
            .run(
                "pg_ctl",
                &["-D", &data, "-o", &options, "-l", &log, "-w", "start"],
                true,
            )
            .map_err(|e| {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                format!("{e}\nthe server's log:\n{log}")
            })?;
        scratch.started = true;
        Ok(scratch)
    }

    /// The connection URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!(
            "postgresql://postgres@127.0.0.1:{}/postgres?connect_timeout=10",
            self.port
        )
    }

    fn dir_text(&self) -> String {
        self.dir.to_string_lossy().to_string()
    }

    fn data_text(&self) -> String {
        self.dir.join("data").to_string_lossy().to_string()
    }

    /// Runs `program` (one of the server programs when `server`, else from the `PATH`),
    /// as the `postgres` user when the process is root and it is a server program.
    fn run(&self, program: &str, args: &[&str], server: bool) -> Result<(), String> {
        let path = if server {
            self.bin.join(program)
        } else {
            PathBuf::from(program)
        };
        let mut command = if server && self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = command
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} {} failed ({}): {}{}",
                path.display(),
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            ))
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let data = self.data_text();
        if !self.started {
            let _ = std::fs::remove_dir_all(&self.dir);
            return;
        }
        if let Err(e) = self.run(
            "pg_ctl",
            &["-D", &data, "-m", "immediate", "-w", "stop"],
            true,
        ) {
            eprintln!("the scratch PostgreSQL did not stop: {e}");
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `f` with the URL of the database at `DECIDER_PG_URL`, if set, else of a throwaway
/// cluster started for it and stopped after (what the test binaries run against).
pub fn with_database<T>(f: impl FnOnce(&str) -> T) -> Result<T, String> {
    match std::env::var("DECIDER_PG_URL") {
        Ok(url) => Ok(f(&url)),
        Err(_) => {
            let scratch = Scratch::start()?;
            Ok(f(&scratch.url()))
        }
    }
}

/// The folder of PostgreSQL's server programs: the newest under `/usr/lib/postgresql`,
/// else the folder of the `initdb` on the `PATH`.
fn server_programs() -> Result<PathBuf, String> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
        })
        .ok_or_else(|| {
            "PostgreSQL's server programs (initdb, pg_ctl) were not found in \
             /usr/lib/postgresql/*/bin nor on the PATH: install Debian's `postgresql` \
             package (`cargo xtask test` does)"
                .to_string()
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A port of 127.0.0.1 that nothing listens on now.
fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port on 127.0.0.1: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}
