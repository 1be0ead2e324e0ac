//! The `entitle-server` binary as an operator runs it: configuration errors and shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_entitle-server");

#[test]
fn a_bad_database_url_stops_the_server_with_one_clear_line() {
    let out = Command::new(BIN)
        .env("DATABASE_URL", "mysql://nope")
        .env("ENTITLE_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("DATABASE_URL must start with sqlite:// or postgres://"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn a_bad_listen_address_is_refused_by_the_flag_parser() {
    let out = Command::new(BIN)
        .env("ENTITLE_ADDR", "not-an-address")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ENTITLE_ADDR") || err.contains("--addr"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn help_lists_every_setting_with_its_environment_variable() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for var in [
        "ENTITLE_ADDR",
        "DATABASE_URL",
        "ENTITLE_DEMO",
        "ENTITLE_SITE_DIR",
    ] {
        assert!(help.contains(var), "{var} missing from --help:\n{help}");
    }
}

#[test]
fn sigterm_shuts_the_server_down_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/e.db", dir.path().display()),
        )
        .env("ENTITLE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut listening = false;
    while Instant::now() < deadline {
        match lines.next() {
            Some(Ok(line)) if line.contains("listening") => {
                listening = true;
                break;
            }
            Some(_) => {}
            None => break,
        }
    }
    assert!(listening, "server never said it was listening");
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit {exit:?}");
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
}
