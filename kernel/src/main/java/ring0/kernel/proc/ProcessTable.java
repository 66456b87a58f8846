package ring0.kernel.proc;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ring0.kernel.Exit;
import ring0.kernel.Limits;
import ring0.kernel.fs.FdTable;
import ring0.kernel.load.LoadException;
import ring0.kernel.load.ProgramImage;
import ring0.kernel.load.Trampoline;

/**
 * TRUSTED. The kernel's processes by pid, and the timer that enforces time
 * limits. Pids count up from 1 and are not reused while the kernel runs; pid 0
 * is the kernel itself, the parent of the processes it starts.
 *
 * <p>Locking: the table is a concurrent map; a process removes itself when
 * it has ended and released its memory.
 */
public final class ProcessTable implements AutoCloseable {
    /** How many processes may be live at once by default. */
    public static final int DEFAULT_CAPACITY = 128;

    /**
     * What serves {@code spawn}: verifies, loads and starts the program file
     * {@code path} as a child of {@code parent}. Returns the child's pid or
     * {@code -errno}; never throws for anything a program can cause.
     */
    @FunctionalInterface
    public interface Launcher {
        /** Starts {@code path} with argument array {@code argv} (argument 0 first) as a child of {@code parent}. */
        long spawn(Process parent, byte[] path, List<byte[]> argv);
    }

    /** The table is full: {@link #capacity()} processes are live. */
    public static final class Full extends Exception {
        private static final long serialVersionUID = 1L;

        Full(int capacity) { super("too many processes (" + capacity + " live)", null, false, false); }
    }

    /** An empty table holding at most {@code capacity} live processes, whose {@code spawn} goes to {@code launcher}. */
    public ProcessTable(int capacity, Launcher launcher) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        this.launcher = launcher;
    }

    private final int capacity;
    private final Launcher launcher;
    /** Live processes plus starts in progress; never above {@link #capacity}. */
    private final AtomicInteger reserved = new AtomicInteger();
    private final ConcurrentHashMap<Integer, Process> live = new ConcurrentHashMap<>();
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ring0-timer");
        t.setDaemon(true);
        return t;
    });

    /**
     * Loads and starts a process (see {@link Process#load}); its parent is
     * {@code ppid}. On failure nothing stays mapped and {@code fds} is closed.
     */
    public Process start(int ppid, String name, ProgramImage program, List<Trampoline> slots, long dispatcher,
                         List<byte[]> args, Limits limits, FdTable fds) throws LoadException, Full {
        if (reserved.incrementAndGet() > capacity) {
            reserved.decrementAndGet();
            fds.closeAll();
            throw new Full(capacity);
        }
        Process p;
        try {
            int pid = nextPid.getAndIncrement();
            p = Process.load(this, pid, ppid, name, program, slots, dispatcher, args, limits, fds);
            live.put(pid, p);
        } catch (LoadException | RuntimeException e) {
            reserved.decrementAndGet();
            throw e;
        }
        p.start();
        return p;
    }

    /** How many processes may be live at once. */
    public int capacity() { return capacity; }

    /** What serves {@code spawn}. */
    Launcher launcher() { return launcher; }

    /** The live process {@code pid}, or {@code null}. */
    public Process get(int pid) { return live.get(pid); }

    /** The live processes. */
    public List<Process> list() { return List.copyOf(live.values()); }

    /** Kills process {@code pid}; false if there is no such live process or it was already ending. */
    public boolean kill(int pid) {
        Process p = live.get(pid);
        return p != null && p.kill(Exit.How.KILLED, "killed");
    }

    /** Kills every live process (kernel shutdown, Ctrl-C). */
    public void killAll(String message) {
        for (Process p : live.values()) p.kill(Exit.How.KILLED, message);
    }

    ScheduledFuture<?> schedule(Runnable r, long nanos) {
        return timer.schedule(r, nanos, TimeUnit.NANOSECONDS);
    }

    void remove(Process p) {
        if (live.remove(p.pid(), p)) reserved.decrementAndGet();
    }

    /**
     * Kills all processes, waits for them, and stops the timer. If the
     * calling thread is interrupted it stops waiting (and keeps its interrupt
     * status); the processes still end at their next poll.
     */
    @Override
    public void close() {
        killAll("killed: the kernel is shutting down");
        try {
            for (Process p : live.values()) p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }
}
