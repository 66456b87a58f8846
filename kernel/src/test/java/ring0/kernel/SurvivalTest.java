package ring0.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the kernel survives (docs/kernel.md, "What the kernel survives"): in a
 * child JVM, a memory hog meets its quota, unbounded recursion meets the stack
 * limit, looping processes are stopped by kill and by their time limit, all at
 * once, while other programs finish correctly; only the offending processes
 * end, and the kernel goes on.
 */
class SurvivalTest {
    @Test
    void eachMisbehaviourEndsOnlyThatProcess() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Survival.class, 120);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).contains("DONE");
        Map<String, String[]> line = new HashMap<>();
        for (String l : r.out().split("\n")) {
            String[] f = l.split(" ", 5);
            line.put(f[0], f);
        }
        for (String hog : List.of("hog0", "hog1")) {
            assertThat(line.get(hog)[1]).as(hog).isEqualTo("MEMORY_QUOTA");
            assertThat(line.get(hog)[2]).isEqualTo("137");
            assertThat(line.get(hog)[4]).startsWith("memory quota exceeded (16384 KiB)");
        }
        assertThat(line.get("recurse")[1]).isEqualTo("STACK_LIMIT");
        assertThat(line.get("recurse")[2]).isEqualTo("134");
        assertThat(line.get("recurse")[4]).isEqualTo("stopped: stack limit reached (8192 KiB stack)");
        for (int i = 0; i < 3; i++) {
            assertThat(line.get("timed" + i)[1]).isEqualTo("TIME_LIMIT");
            assertThat(line.get("timed" + i)[4]).isEqualTo("time limit exceeded (" + (100 + 50 * i) + " ms)");
        }
        for (int i = 0; i < 5; i++) {
            String[] f = line.get("killed" + i);
            assertThat(f[1]).isEqualTo("KILLED");
            assertThat(f[2]).isEqualTo("137");
            assertThat(f[4]).isEqualTo("killed");
        }
        long[] latencies = new long[7];
        for (int i = 0; i < latencies.length; i++) {
            String[] f = line.get("latency" + i);
            assertThat(f[1]).isEqualTo("KILLED");
            latencies[i] = Long.parseLong(f[3]);
        }
        System.out.println("kill-to-stop latencies, one spinner at a time (us): " + Arrays.toString(latencies));
        Arrays.sort(latencies);
        assertThat(latencies[latencies.length / 2]).as("median kill latency in microseconds").isLessThan(10_000);
        long[] overrun = new long[5];
        for (int i = 0; i < overrun.length; i++) {
            String[] f = line.get("limitlatency" + i);
            assertThat(f[1]).isEqualTo("TIME_LIMIT");
            assertThat(f[2]).isEqualTo("152");
            overrun[i] = Long.parseLong(f[3]);
        }
        System.out.println("time limit 40 ms, stopped this long after it (us): " + Arrays.toString(overrun));
        Arrays.sort(overrun);
        assertThat(overrun[0]).as("never before the limit").isGreaterThanOrEqualTo(0);
        assertThat(overrun[overrun.length / 2]).as("median overrun of the time limit in microseconds").isLessThan(10_000);
        assertThat(line.get("worker")[1]).isEqualTo("RETURNED");
        assertThat(line.get("worker")[4]).endsWith("output-ok");
        assertThat(line.get("cat")[1]).isEqualTo("RETURNED");
        assertThat(line.get("cat")[2]).isEqualTo("0");
        assertThat(line.get("cat")[4]).endsWith("output-ok");
        assertThat(line.get("after")[1]).isEqualTo("RETURNED");
        assertThat(line.get("after")[2]).isEqualTo("42");
        assertThat(line.get("live")[1]).isEqualTo("0");
    }
}
