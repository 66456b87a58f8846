package ring0.kernel;

import java.util.concurrent.CompletableFuture;

/**
 * A program the kernel started: a handle to wait for it or kill it.
 */
public interface Job {
    /** Its process id. */
    int pid();

    /** The name it was started under (argument 0). */
    String name();

    /** Waits for it to end and returns how it ended. */
    Exit waitFor() throws InterruptedException;

    /** Waits at most {@code millis} ms; returns {@code null} if it is still running. */
    Exit waitFor(long millis) throws InterruptedException;

    /** Completes with how it ended. */
    CompletableFuture<Exit> onExit();

    /**
     * Kills it: a computing program stops at its next poll, one inside a
     * system call when the call returns. False if it had already ended or was
     * ending for another reason.
     */
    boolean kill();
}
