//! Password hashing: argon2id with 19 MiB of memory and 2 passes (OWASP's minimum), PHC strings.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    // 19 MiB, 2 iterations, 1 lane: the documented floor; raise here, old hashes still verify.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (algorithm, parameters and salt included).
///
/// # Errors
/// Only if the hasher itself fails, which it does not for inputs under 4 GiB.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the PHC string `stored`. A malformed stored hash never matches.
#[must_use]
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
}

/// Hashes and verifications run one at a time on one thread of their own. Each holds 19 MiB: a burst
/// of sign-ins then neither takes every core nor grows the process by 19 MiB per request (a thread
/// that frees such a block keeps it for its next allocation, so one thread means one block); the
/// others wait their turn.
type Job = Box<dyn FnOnce() + Send>;

fn hasher_thread() -> &'static std::sync::mpsc::Sender<Job> {
    static SENDER: std::sync::OnceLock<std::sync::mpsc::Sender<Job>> = std::sync::OnceLock::new();
    SENDER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("password-hashing".into())
            .spawn(move || {
                for job in rx {
                    job();
                }
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start the password-hashing thread: {e}");
        }
        tx
    })
}

/// Runs `work` on the hashing thread and waits for it. None if the thread is gone.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    hasher_thread()
        .send(Box::new(move || {
            let _ = done.send(work());
        }))
        .ok()?;
    result.await.ok()
}

/// [`verify`] on the hashing thread. False if the work could not run.
pub async fn verify_bounded(password: String, stored: String) -> bool {
    bounded(move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

/// [`hash`] on the hashing thread.
///
/// # Errors
/// The hasher failed, or the work could not run.
pub async fn hash_bounded(password: String) -> Result<String, String> {
    bounded(move || hash(&password).map_err(|e| e.to_string()))
        .await
        .unwrap_or_else(|| Err("the hashing task did not finish".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("entitle-demo").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("entitle-demo", &h));
        assert!(!verify("entitle-demo2", &h));
        assert!(!verify("entitle-demo", "not a hash"));
    }
}
