//! A fixed set of worker threads that take jobs from one queue and send
//! each answer back on a channel: how `status` and `wait` make several
//! requests at once.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use anyhow::{Context, Result};

/// A job and its answer, or the panic of the worker that ran it (for the
/// receiving thread to re-raise).
pub struct Done<J, R> {
    pub job: J,
    pub answer: thread::Result<R>,
}

/// The queue into the workers. Dropping it lets them stop once they are done
/// with the job in hand.
pub struct Pool<J> {
    queue: Sender<J>,
}

impl<J: Send + 'static> Pool<J> {
    /// Starts `workers` threads that run `work` on each job submitted and
    /// send a [`Done`] (as an `E`) on `answers`.
    pub fn start<R, E>(
        workers: usize,
        work: impl Fn(&J) -> R + Send + Sync + 'static,
        answers: &Sender<E>,
    ) -> Result<Pool<J>>
    where
        R: Send + 'static,
        E: From<Done<J, R>> + Send + 'static,
    {
        let (queue, jobs) = mpsc::channel::<J>();
        let jobs = Arc::new(Mutex::new(jobs));
        let work = Arc::new(work);
        for _ in 0..workers.max(1) {
            let jobs = Arc::clone(&jobs);
            let work = Arc::clone(&work);
            let answers = answers.clone();
            thread::Builder::new()
                .name("worker".into())
                .spawn(move || {
                    while let Some(job) = next_job(&jobs) {
                        let answer = panic::catch_unwind(AssertUnwindSafe(|| work(&job)));
                        if answers.send(E::from(Done { job, answer })).is_err() {
                            break;
                        }
                    }
                })
                .context("cannot start a thread")?;
        }
        Ok(Pool { queue })
    }

    /// Hands a job to the next free worker.
    pub fn submit(&self, job: J) {
        // The workers only stop once `self` is gone.
        let _ = self.queue.send(job);
    }
}

/// The next job for a worker; `None` once the queue is closed. The lock is
/// held only while waiting for a job, never while working on one.
fn next_job<J>(jobs: &Mutex<Receiver<J>>) -> Option<J> {
    let jobs = jobs.lock().ok()?;
    jobs.recv().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_is_answered_once() {
        let (answers, done) = mpsc::channel::<Done<u32, u32>>();
        let pool = Pool::start(3, |n: &u32| n * 2, &answers).unwrap();
        for n in 0..50 {
            pool.submit(n);
        }
        let mut seen: Vec<(u32, u32)> = (0..50)
            .map(|_| {
                let Done { job, answer } = done.recv().unwrap();
                (job, answer.unwrap())
            })
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..50).map(|n| (n, n * 2)).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_job_comes_back_as_a_panic() {
        let (answers, done) = mpsc::channel::<Done<u32, u32>>();
        let pool = Pool::start(
            1,
            |n: &u32| {
                assert!(*n != 1, "job one panics");
                *n
            },
            &answers,
        )
        .unwrap();
        pool.submit(1);
        pool.submit(2);
        let first = done.recv().unwrap();
        assert_eq!(first.job, 1);
        assert!(first.answer.is_err());
        assert_eq!(done.recv().unwrap().answer.unwrap(), 2);
    }
}
