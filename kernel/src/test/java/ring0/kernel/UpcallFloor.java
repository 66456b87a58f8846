package ring0.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * What a bare FFM upcall costs on this machine and JDK, without any of the
 * kernel: libc's {@code qsort} sorts an array with a Java comparator that
 * only counts its calls and answers "equal", so almost all of each
 * comparison is the native-to-Java transition and back. The result (total
 * time over comparisons) is an upper bound of the upcall's cost, since it
 * includes qsort's own work per comparison. Not a test; run with
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp kernel/target/test-classes ring0.kernel.UpcallFloor [elements] [rounds]
 * </pre>
 *
 * and compare with {@code ring0 bench syscalls --gates ring0-upcall}, which
 * measures getpid through the kernel's own upcall path.
 */
public final class UpcallFloor {
    private UpcallFloor() {}

    private static long calls;

    /** The comparator: counts, and says the two elements are equal. */
    static int compare(long a, long b) {
        calls++;
        return 0;
    }

    /** Runs the measurement and prints ns per upcall for each round. */
    @SuppressWarnings("restricted")
    public static void main(String[] args) throws Throwable {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Linker linker = Linker.nativeLinker();
        MethodHandle qsort = linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        MethodHandle cmp = MethodHandles.lookup().findStatic(UpcallFloor.class, "compare",
                MethodType.methodType(int.class, long.class, long.class));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stub = linker.upcallStub(cmp, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), arena);
            MemorySegment array = arena.allocate((long) n * 8, 8);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                calls = 0;
                long t0 = System.nanoTime();
                qsort.invokeExact(array, (long) n, 8L, stub);
                long t = System.nanoTime() - t0;
                double per = (double) t / calls;
                best = Math.min(best, per);
                System.out.printf("round %d: %,d upcalls in %.1f ms: %.1f ns per upcall (qsort included)%n",
                        r + 1, calls, t / 1e6, per);
            }
            System.out.printf("best: %.1f ns per upcall%n", best);
        }
    }
}
