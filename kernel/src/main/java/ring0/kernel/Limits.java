package ring0.kernel;

import java.time.Duration;
import ring0.kernel.load.ProgramStack;
import ring0.kernel.proc.AddressSpace;

/**
 * What one process may use.
 *
 * @param stackSize   bytes of stack (a multiple of 4 KiB, at least 128 KiB)
 * @param memoryQuota bytes of {@code alloc}/{@code newbytes}/{@code newwords} memory in all
 * @param timeLimit   wall-clock time after which the process is stopped, or {@code null} for none
 */
public record Limits(long stackSize, long memoryQuota, Duration timeLimit) {
    /** 8 MiB of stack, a 256 MiB quota, no time limit. */
    public static final Limits DEFAULT = new Limits(ProgramStack.DEFAULT_SIZE, AddressSpace.DEFAULT_QUOTA, null);

    public Limits {
        if (memoryQuota < 0 || memoryQuota > AddressSpace.MAX_QUOTA) throw new IllegalArgumentException("memory quota " + memoryQuota);
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) throw new IllegalArgumentException("time limit " + timeLimit);
    }

    /** These limits with another stack size. */
    public Limits withStackSize(long bytes) { return new Limits(bytes, memoryQuota, timeLimit); }

    /** These limits with another quota. */
    public Limits withMemoryQuota(long bytes) { return new Limits(stackSize, bytes, timeLimit); }

    /** These limits with a time limit ({@code null} for none). */
    public Limits withTimeLimit(Duration d) { return new Limits(stackSize, memoryQuota, d); }
}
