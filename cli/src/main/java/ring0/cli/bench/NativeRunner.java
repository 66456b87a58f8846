package ring0.cli.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the ELF file as a Linux process, through the gate its entry stub picks
 * from {@code RING0_GATE} (docs/abi.md §3). Standard input is
 * {@code /dev/null}; standard output is returned; standard error ends up in
 * the message if the program fails.
 *
 * @param gate    {@link Gate#INT80} or {@link Gate#SYSCALL}
 * @param exe     the executable
 * @param timeout how long one run may take
 */
record NativeRunner(Gate gate, Path exe, Duration timeout) implements Runner {
    NativeRunner {
        if (!gate.isNative()) throw new IllegalArgumentException(gate + " is not a Linux gate");
    }

    @Override
    public String run(List<String> args) throws BenchException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(exe.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
        pb.environment().put("RING0_GATE", gate.label);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BenchException("cannot run " + exe + ": " + e.getMessage());
        }
        try {
            // The programs print a few short lines, far less than a pipe holds, so they never
            // wait for the pipes to be read: wait for the end first, then read both.
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BenchException(describe(args) + " took longer than " + timeout.toSeconds() + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new BenchException(describe(args) + " failed with exit status " + p.exitValue() + oneLine(err));
            }
            return out;
        } catch (IOException e) {
            throw new BenchException(describe(args) + ": " + e.getMessage());
        } finally {
            p.destroyForcibly();
        }
    }

    @Override
    public String path(Path hostFile) { return hostFile.toAbsolutePath().toString(); }

    private String describe(List<String> args) {
        return exe.getFileName() + " " + String.join(" ", args) + " on the " + gate.label + " gate";
    }

    /** {@code ": message"} from the program's stderr, or nothing. */
    static String oneLine(String err) {
        String s = err.strip().replace('\n', ' ');
        if (s.length() > 300) s = s.substring(0, 300) + "...";
        return s.isEmpty() ? "" : ": " + s;
    }
}
