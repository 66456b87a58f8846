package ring0.kernel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-only, run in a child JVM by {@link SurvivalTest}: one kernel runs, all
 * at once, a memory hog, unbounded recursion, spinning loops that are killed
 * or meet a time limit, and well-behaved programs; then it runs one more
 * program to show it is still fine. Prints one line per process:
 * {@code label how status latencyMicros message}, and {@code DONE} at the end.
 */
public final class Survival {
    private Survival() {}

    public static void main(String[] args) throws Exception {
        try (Fixture fx = new Fixture(Limits.DEFAULT.withMemoryQuota(16L << 20), true)) {
            Limits lim = fx.kernel.options().limits();
            List<String> labels = new ArrayList<>();
            List<Fixture.Started> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                labels.add("hog" + i);
                started.add(fx.start(Programs.hog(4096 + 4096 * i), new byte[0]));
            }
            labels.add("recurse");
            started.add(fx.start(Programs.recurse(), new byte[0]));
            for (int i = 0; i < 3; i++) {
                labels.add("timed" + i);
                started.add(fx.start(Programs.spin(), new byte[0], lim.withTimeLimit(Duration.ofMillis(100 + 50 * i))));
            }
            int firstKilled = started.size();
            for (int i = 0; i < 5; i++) {
                labels.add("killed" + i);
                started.add(fx.start(Programs.spin(), new byte[0]));
            }
            labels.add("worker");
            started.add(fx.start(Programs.timeLoop("getpid", 2_000_000), new byte[0]));
            labels.add("cat");
            byte[] text = "all work and no play\n".repeat(2000).getBytes();
            started.add(fx.start(Programs.cat(), text));

            Thread.sleep(300);
            long[] killedAt = new long[started.size()];
            for (int i = firstKilled; i < firstKilled + 5; i++) {
                killedAt[i] = System.nanoTime();
                if (!fx.kernel.kill(started.get(i).process().pid())) System.out.println("kill refused " + labels.get(i));
                Thread.sleep(20);
            }
            for (int i = 0; i < started.size(); i++) {
                Fixture.Started s = started.get(i);
                Fixture.Run r = s.await();
                long latency = killedAt[i] != 0 ? (s.process().stoppedAt() - killedAt[i]) / 1000 : -1;
                String extra = labels.get(i).equals("cat") ? (Arrays.equals(r.out(), text) ? " output-ok" : " output-WRONG")
                        : labels.get(i).equals("worker") ? (r.out().length == 8 ? " output-ok" : " output-WRONG") : "";
                System.out.println(labels.get(i) + " " + r.exit().how() + " " + r.exit().status() + " " + latency
                        + " " + r.exit().message() + extra);
            }
            var spin = Programs.spin();
            // Kill latency, measured with one spinning process at a time, so that it has a core
            // (with more runnable threads than cores, the scheduler, not the kernel, decides).
            for (int i = 0; i < 7; i++) {
                Fixture.Started s = fx.start(spin, new byte[0]);
                Thread.sleep(30);
                long t0 = System.nanoTime();
                fx.kernel.kill(s.process().pid());
                Fixture.Run r = s.await();
                System.out.println("latency" + i + " " + r.exit().how() + " " + r.exit().status() + " "
                        + (s.process().stoppedAt() - t0) / 1000 + " " + r.exit().message());
            }
            // The time limit's latency, likewise: from the limit's expiry to the program's stop.
            for (int i = 0; i < 5; i++) {
                Fixture.Started s = fx.start(spin, new byte[0], lim.withTimeLimit(Duration.ofMillis(40)));
                Fixture.Run r = s.await();
                System.out.println("limitlatency" + i + " " + r.exit().how() + " " + r.exit().status() + " "
                        + ((s.process().stoppedAt() - s.process().startedAt()) / 1000 - 40_000) + " " + r.exit().message());
            }
            Exit after = fx.run(Programs.ret42()).exit();
            System.out.println("after " + after.how() + " " + after.status());
            System.out.println("live " + fx.kernel.processes().list().size());
        }
        System.out.println("DONE");
    }
}
