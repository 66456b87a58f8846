package ring0.cli.bench;

import java.io.PrintWriter;

/**
 * A one-line progress display on standard error, rewritten in place, shown
 * only when standard error is a terminal (never in pipes, files or tests).
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final boolean on;
    private final long started = System.nanoTime();
    private boolean dirty;

    private Progress(PrintWriter err, boolean on) {
        this.err = err;
        this.on = on;
    }

    /** Progress to {@code err} if this JVM's standard error is a terminal. */
    static Progress toTerminal(PrintWriter err) {
        var console = System.console();
        return new Progress(err, console != null && console.isTerminal());
    }

    /** Shows {@code what} with the elapsed time. */
    void show(String what) {
        if (!on) return;
        long s = (System.nanoTime() - started) / 1_000_000_000L;
        err.print("\r\033[K" + String.format("[%d:%02d] ", s / 60, s % 60) + what);
        err.flush();
        dirty = true;
    }

    /** Clears the line. */
    @Override
    public void close() {
        if (on && dirty) {
            err.print("\r\033[K");
            err.flush();
            dirty = false;
        }
    }
}
