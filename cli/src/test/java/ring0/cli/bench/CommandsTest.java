package ring0.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.cli.Main;

/** {@code ring0 bench syscalls} and {@code ring0 bench io} end to end, with tiny counts and sizes. */
class CommandsTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void syscallsMeasuresEveryGateInOneRun() {
        var r = BenchCli.run("syscalls", "--json", "--iterations", "50", "--batches", "2", "--rounds", "1",
                "--dir", tmp.toString());
        assertThat(r.status()).as(r.err()).isZero();
        var json = (Map<String, Object>) MiniJson.parse(r.out());
        assertThat(json.get("unit")).isEqualTo("ns");
        var gates = (Map<String, Map<String, Double>>) json.get("gates");
        assertThat(gates.keySet()).containsExactly("int80", "syscall", "ring0");
        for (var g : gates.entrySet()) {
            assertThat(g.getValue().keySet()).as(g.getKey()).containsAll(List.of("getpid", "read", "write", "fstat"));
            assertThat(g.getValue().values()).as(g.getKey()).allSatisfy(v -> assertThat(v).isPositive());
        }
        var iterations = (Map<String, Map<String, Double>>) json.get("iterations");
        assertThat(iterations.get("ring0").get("getpid")).isEqualTo(50.0);
        try (var left = Files.list(tmp)) {
            assertThat(left).as("the workspace is deleted").isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void syscallsTableForChosenGatesAndTests() {
        var r = BenchCli.run("syscalls", "--iterations", "20", "--batches", "2", "--gates", "syscall,ring0,ring0-upcall",
                "--tests", "getpid,loop");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("ring0/syscall").contains("ring0-upcall/syscall").doesNotContain("int80");
        assertThat(r.out().lines().filter(l -> l.startsWith("getpid ") || l.startsWith("loop (empty) "))).hasSize(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void spawnIsOptInAndItsCalibrationCopesWithSlowCalls() {
        var r = BenchCli.run("syscalls", "--json", "--batches", "2", "--rounds", "1", "--tests", "spawn", "--dir", tmp.toString());
        assertThat(r.status()).as(r.err()).isZero();
        var json = (Map<String, Object>) MiniJson.parse(r.out());
        var gates = (Map<String, Map<String, Double>>) json.get("gates");
        assertThat(gates.keySet()).containsExactly("int80", "syscall", "ring0");
        var iterations = (Map<String, Map<String, Double>>) json.get("iterations");
        for (var g : gates.entrySet()) {
            assertThat(g.getValue().keySet()).as(g.getKey()).containsExactly("spawn");
            // a process costs far more than a microsecond on every gate; a 5 ms batch holds at most thousands
            assertThat(g.getValue().get("spawn")).as(g.getKey()).isGreaterThan(1_000.0);
            assertThat(iterations.get(g.getKey()).get("spawn")).as(g.getKey()).isBetween(1.0, 5_000.0);
        }
        assertThat(LatencyBench.DEFAULT_TESTS).doesNotContain(LatencyBench.SPAWN);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ioMeasuresBothSidesAndDrawsTheFigure() throws Exception {
        Path png = tmp.resolve("io.png");
        var r = BenchCli.run("io", "--json", "--sizes", "64k,128k", "--runs", "1", "--plot", png.toString(),
                "--dir", tmp.toString());
        assertThat(r.status()).as(r.err()).isZero();
        var json = (Map<String, Object>) MiniJson.parse(r.out());
        assertThat(json.get("unit")).isEqualTo("MB/s");
        assertThat(json.get("record_kb")).isEqualTo(16.0);
        assertThat(json.get("fsync")).isEqualTo(false);
        assertThat((List<Double>) json.get("sizes_kb")).containsExactly(64.0, 128.0);
        for (String side : List.of("linux", "ring0")) {
            var byTest = (Map<String, List<Double>>) json.get(side);
            assertThat(byTest.keySet()).containsExactly("write", "rewrite", "read", "reread");
            assertThat(byTest.values()).allSatisfy(l -> assertThat(l).hasSize(2).allSatisfy(v -> assertThat(v).isPositive()));
        }
        assertThat(ImageIO.read(png.toFile())).isNotNull();
    }

    @Test
    void usageErrors() {
        var none = BenchCli.run();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("missing command");
        var gate = BenchCli.run("syscalls", "--gates", "int81");
        assertThat(gate.status()).isEqualTo(2);
        assertThat(gate.err()).contains("unknown gate 'int81'");
        var size = BenchCli.run("io", "--sizes", "8k");
        assertThat(size.status()).isEqualTo(2);
        assertThat(size.err()).contains("below the record size");
    }

    @Test
    void ring0BenchIsACommandOfRing0() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), "--help");
        assertThat(status).isZero();
        assertThat(out.toString()).contains("bench");
        out.getBuffer().setLength(0);
        status = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--help");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("syscalls").contains("io");
        status = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "io", "--sizes", "1k,x");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("'x' is not a size");
    }

    @Test
    void aMissingProgramIsOneLineNotATrace() {
        var r = BenchCli.run("syscalls", "--programs", tmp.toString(), "--iterations", "1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("ring0 bench syscalls: cannot read").doesNotContain("Exception").doesNotContain("\tat ");
    }
}
