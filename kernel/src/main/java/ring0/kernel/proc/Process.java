package ring0.kernel.proc;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import ring0.kernel.Exit;
import ring0.kernel.Job;
import ring0.kernel.Limits;
import ring0.kernel.fs.Errno;
import ring0.kernel.fs.FdTable;
import ring0.kernel.load.Gate;
import ring0.kernel.load.LoadException;
import ring0.kernel.load.LoadedImage;
import ring0.kernel.load.NativeMemoryException;
import ring0.kernel.load.ProgramImage;
import ring0.kernel.load.ProgramStack;
import ring0.kernel.load.Trampoline;

/**
 * TRUSTED. A running program: its pid and parent, its descriptor table, its
 * memory (image, stack, heap) and the platform thread it runs on.
 *
 * <p>A process ends in one of three ways: its entry label returns (status
 * {@code eax & 0xff}); it calls {@code exit}; or the kernel ends it
 * ({@link #kill}, the time limit, the memory quota, the stack limit, a broken
 * kernel invariant). The first recorded end wins. To end a running program
 * the kernel stores {@code 2^64-1} in its limit word, so the next poll calls
 * {@code stop}, and asks the trampolines to unwind after any upcall in
 * progress; either way the program's frames are abandoned and the enter
 * downcall returns. Then the thread closes the descriptors and unmaps the
 * memory.
 *
 * <p>Locking: the end is recorded with a compare-and-set; the stores into the
 * program's memory that stop it are made under this object's monitor, which
 * the cleanup also takes before unmapping, so a late kill never touches
 * unmapped memory.
 */
public final class Process implements Job {
    private final ProcessTable table;
    private final int pid;
    private final int ppid;
    private final String name;
    private final FdTable fds;
    private final AddressSpace memory;
    private final Gate gate;
    private final LoadedImage image;
    private final ProgramStack stack;
    private final Limits limits;
    private final Thread thread;
    private final AtomicReference<Exit> ending = new AtomicReference<>();
    private final CompletableFuture<Exit> done = new CompletableFuture<>();
    /** Children not yet waited for, live or ended, by pid. */
    private final ConcurrentHashMap<Integer, Process> children = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> timer;
    private volatile long startedAt;
    private volatile long stoppedAt;
    private boolean released;

    /** The thread a process runs on; {@link #current()} finds the process through it. */
    private static final class ProcessThread extends Thread {
        final Process process;

        ProcessThread(Process p) {
            super(p::run, "ring0-pid-" + p.pid);
            this.process = p;
            setDaemon(true);
        }
    }

    private Process(ProcessTable table, int pid, int ppid, String name, FdTable fds, AddressSpace memory,
                    Gate gate, LoadedImage image, ProgramStack stack, Limits limits) {
        this.table = table;
        this.pid = pid;
        this.ppid = ppid;
        this.name = name;
        this.fds = fds;
        this.memory = memory;
        this.gate = gate;
        this.image = image;
        this.stack = stack;
        this.limits = limits;
        this.thread = new ProcessThread(this);
    }

    /**
     * Loads {@code program} as a new process of {@code table} (not yet
     * started): maps its gate, image and stack, fills import slot {@code i}
     * with the trampoline {@code slots.get(i)} (upcalls to {@code dispatcher}),
     * sets the limit word, and registers it.
     *
     * @param args the argument array's byte arrays (argument 0 first)
     * @throws LoadException if the memory cannot be mapped; nothing stays mapped then
     */
    static Process load(ProcessTable table, int pid, int ppid, String name, ProgramImage program,
                        List<Trampoline> slots, long dispatcher, List<byte[]> args, Limits limits, FdTable fds)
            throws LoadException {
        if (slots.size() != program.imports().size()) throw new IllegalArgumentException("one trampoline per import");
        Gate gate = null;
        ProgramStack stack = null;
        LoadedImage image = null;
        try {
            try {
                gate = Gate.create(slots, dispatcher);
            } catch (NativeMemoryException e) {
                throw new LoadException("cannot map the kernel gate", e);
            }
            stack = ProgramStack.create(limits.stackSize(), args);
            image = LoadedImage.load(program, gate::trampoline, stack.limit());
            gate.prepare(image.entry(), stack.top(), stack.args());
            gate.controlBlock().setIds(pid, ppid);
            AddressSpace memory = new AddressSpace(limits.memoryQuota());
            memory.addRegion(image.data());
            memory.addRegion(stack.argsRegion());
            return new Process(table, pid, ppid, name, fds, memory, gate, image, stack, limits);
        } catch (LoadException | RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {image, stack, gate}) {
                if (c == null) continue;
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            fds.closeAll();
            throw e;
        }
    }

    /** The process whose thread is running this code, or {@code null} on any other thread. */
    public static Process current() {
        return Thread.currentThread() instanceof ProcessThread t ? t.process : null;
    }

    @Override
    public int pid() { return pid; }

    /** The parent's process id (0: the kernel itself). */
    public int ppid() { return ppid; }

    @Override
    public String name() { return name; }

    /** Its descriptor table. */
    public FdTable fds() { return fds; }

    /** Its memory regions and heap. Only for the process's own thread. */
    public AddressSpace memory() { return memory; }

    /** Its limits. */
    public Limits limits() { return limits; }

    /**
     * Starts the program on its own platform thread, and the timer if it has
     * a time limit. If the host cannot give it a thread, the process ends at
     * once ({@link Exit.How#NOT_RUN}) and its memory is released.
     */
    void start() {
        startedAt = System.nanoTime();
        if (limits.timeLimit() != null) {
            timer = table.schedule(() -> kill(Exit.How.TIME_LIMIT, "time limit exceeded (" + limits.timeLimit().toMillis() + " ms)"),
                    limits.timeLimit().toNanos());
        }
        try {
            thread.start();
        } catch (Throwable t) {
            Exit e = Exit.forced(Exit.How.NOT_RUN, name + ": cannot start a thread: " + t);
            ending.compareAndSet(null, e);
            try {
                release();
            } catch (Exception suppressed) {
                System.err.println("ring0: kernel error releasing pid " + pid + ": " + suppressed);
            }
            table.remove(this);
            done.complete(ending.get());
        }
    }

    @Override
    public Exit waitFor() throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("process end not recorded", e);
        }
    }

    @Override
    public Exit waitFor(long millis) throws InterruptedException {
        try {
            return done.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("process end not recorded", e);
        }
    }

    @Override
    public CompletableFuture<Exit> onExit() { return done.copy(); }

    @Override
    public boolean kill() { return kill(Exit.How.KILLED, "killed"); }

    /**
     * Ends the process from outside: its next poll (or the end of a system
     * call in progress) abandons it. Returns false if it had already ended or
     * was ending for another reason.
     */
    public boolean kill(Exit.How how, String message) {
        return end(Exit.forced(how, message));
    }

    /** The {@code exit} service: records the status; the trampoline then unwinds. */
    public void exit(long status) {
        end(Exit.normal(Exit.How.EXITED, status));
    }

    /**
     * The {@code stop} service: a poll failed. Either the process is being
     * ended (kill, time limit, quota), or its stack reached the limit word.
     */
    public void stopped() {
        // The stop block's call pushed 8 bytes below the rsp the poll compared.
        if (Long.compareUnsigned(guestRsp() + 8, stack.limit()) <= 0) {
            end(Exit.forced(Exit.How.STACK_LIMIT, "stopped: stack limit reached (" + (limits.stackSize() >> 10) + " KiB stack)"));
        } else if (ending.get() == null) {
            panic("stop called with the stack above its limit and no end recorded", null);
        }
    }

    /** An allocation went over the quota: the process ends. */
    public void quotaExceeded(QuotaExceeded e) {
        end(Exit.forced(Exit.How.MEMORY_QUOTA, "memory quota exceeded (" + (limits.memoryQuota() >> 10) + " KiB): "
                + e.getMessage().replaceFirst("^memory quota exceeded: ", "")));
    }

    /**
     * A kernel invariant broke while serving this process: it ends with a
     * loud message, and the kernel's standard error gets the trace. The
     * kernel itself goes on.
     */
    public void panic(String what, Throwable cause) {
        PrintStream err = System.err;
        try {
            err.println("ring0: kernel error in pid " + pid + " (" + name + "): " + what);
            if (cause != null) cause.printStackTrace(err);
        } catch (Throwable ignored) {
            // the message is also in the exit record
        }
        end(Exit.forced(Exit.How.KERNEL_ERROR, "kernel error: " + what + (cause == null ? "" : ": " + cause)));
    }

    /** Records {@code e} if nothing was recorded yet, and makes the program stop. */
    private boolean end(Exit e) {
        if (!ending.compareAndSet(null, e)) return false;
        synchronized (this) {
            if (!released) {
                gate.controlBlock().requestUnwind();
                image.setLimit(-1L);
            }
        }
        return true;
    }

    /** Most children a process may have that it has not waited for ({@code spawn} then fails with EAGAIN). */
    public static final int MAX_UNWAITED = 1024;

    /** How often a {@code wait} looks whether its own process is being ended. */
    private static final long WAIT_POLL_MILLIS = 2;

    /** Whether an end has been recorded (the process is being stopped, or has stopped). */
    public boolean isEnding() { return ending.get() != null; }

    /** The table this process belongs to. */
    public ProcessTable table() { return table; }

    /**
     * The {@code spawn} service, after its arguments were copied out: starts
     * {@code path} as a child through the table's launcher. The child's pid,
     * or {@code -EAGAIN} if this process already has {@link #MAX_UNWAITED}
     * children it has not waited for, or the launcher's {@code -errno}.
     */
    public long spawn(byte[] path, List<byte[]> argv) {
        if (children.size() >= MAX_UNWAITED) return -Errno.EAGAIN;
        return table.launcher().spawn(this, path, argv);
    }

    /** Records {@code child}, which this process spawned, for {@link #waitChild} and {@link #killProcess}. */
    public void adopt(Process child) {
        if (child.ppid != pid) throw new IllegalArgumentException("pid " + child.pid + " is not a child of " + pid);
        children.put(child.pid, child);
    }

    /**
     * The {@code wait} service: blocks until child {@code pid} has ended and
     * returns its exit status, forgetting the child. {@code -ECHILD} if
     * {@code pid} is not a child of this process that it has not waited for;
     * {@code -EINTR} if this process is itself ended meanwhile (within
     * {@value #WAIT_POLL_MILLIS} ms). Only for this process's own thread.
     */
    public long waitChild(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) return -Errno.ECHILD;
        Process c = children.get((int) pid);
        if (c == null) return -Errno.ECHILD;
        try {
            while (true) {
                Exit e = c.waitFor(WAIT_POLL_MILLIS);
                if (e != null) {
                    children.remove(c.pid, c);
                    return e.status();
                }
                if (isEnding()) return -Errno.EINTR;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -Errno.EINTR;
        }
    }

    /**
     * The {@code kill} service: ends process {@code pid} as SIGKILL would
     * (status 137). A process may end itself and its own children (live, or
     * ended but not waited for: then nothing happens), nothing else:
     * {@code -EINVAL} for {@code pid <= 0}, {@code -EPERM} for another live
     * process, {@code -ESRCH} if there is no such process.
     */
    public long killProcess(long pid) {
        if (pid <= 0) return -Errno.EINVAL;
        if (pid > Integer.MAX_VALUE) return -Errno.ESRCH;
        if (pid == this.pid) {
            kill(Exit.How.KILLED, "killed by itself");
            return 0;
        }
        Process c = children.get((int) pid);
        if (c != null) {
            c.kill(Exit.How.KILLED, "killed by its parent, pid " + this.pid);
            return 0;
        }
        return table.get((int) pid) != null ? -Errno.EPERM : -Errno.ESRCH;
    }

    /** {@link System#nanoTime()} when the process was started (its time limit counts from here). */
    public long startedAt() { return startedAt; }

    /** {@link System#nanoTime()} when the program stopped running (its frames left), or 0 before. */
    public long stoppedAt() { return stoppedAt; }

    /** The program's stack pointer at its current upcall (meaningful only inside an upcall). */
    public long guestRsp() { return gate.controlBlock().guestRsp(); }

    private void run() {
        Exit result;
        try {
            long rax = gate.enter();
            stoppedAt = System.nanoTime();
            ending.compareAndSet(null, Exit.normal(Exit.How.RETURNED, rax));
            result = ending.get();
        } catch (Throwable t) {
            panic("the program could not be run", t);
            result = ending.get();
        }
        try {
            release();
        } catch (Throwable t) {
            try {
                System.err.println("ring0: kernel error releasing pid " + pid + ": " + t);
            } catch (Throwable ignored) {
                // nothing left to do
            }
        }
        table.remove(this);
        done.complete(result);
    }

    /** Closes the descriptors (writing dirty pages back) and unmaps everything. */
    private void release() throws Exception {
        ScheduledFuture<?> t = timer;
        if (t != null) t.cancel(false);
        fds.closeAll();
        Exception first = null;
        synchronized (this) {
            released = true;
            for (AutoCloseable c : new AutoCloseable[] {memory, image, stack, gate}) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (first == null) first = e;
                }
            }
        }
        if (first != null) throw first;
    }
}
