package ring0.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import ring0.asm.AsmException;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.kernel.Kernel;
import ring0.kernel.Exit;
import ring0.kernel.Limits;

/** {@code ring0 run}: verifies a program and runs it in kernel mode, inside this process. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Verify a program and run it in kernel mode, with system calls as direct calls.",
        description = {
            "%nFILE is an executable written by 'ring0 as', or a .tal source, which is assembled first. "
                + "The checker must accept it (see 'ring0 check'); the kernel then copies its code into "
                + "executable memory of this JVM and runs it on its own thread and stack. The Linux entry "
                + "stub in the file is never run. Files resolve inside --root only.",
            "%nThe exit status is the program's, or: 126 not run (malformed, ill-typed or not loadable), "
                + "134 stack limit, 137 killed or over its memory quota, 152 time limit, 70 kernel error.",
        })
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the executable (or .tal source) to run")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "arguments passed to the program")
    List<String> args = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", description = "the directory the program sees as / (default: the current directory)")
    Path root = Path.of(".");

    @Option(names = "--time-limit", paramLabel = "DURATION", description = "stop the program after this long, e.g. 2s, 500ms, 1m")
    String timeLimit;

    @Option(names = "--mem-limit", paramLabel = "SIZE", description = "memory quota for allocations, e.g. 64m (default 256m)")
    String memLimit;

    @Option(names = "--stack", paramLabel = "SIZE", description = "stack size, e.g. 8m (default 8m)")
    String stack;

    @Option(names = "--unverified", description = "run the program even if the checker rejects it (UNSAFE: for experiments only)")
    boolean unverified;

    @Override
    public Integer call() throws CliException {
        byte[] elf = load();
        Limits limits = Limits.DEFAULT;
        if (timeLimit != null) limits = limits.withTimeLimit(parseDuration(timeLimit));
        if (memLimit != null) limits = limits.withMemoryQuota(parseSize(memLimit, "--mem-limit"));
        if (stack != null) limits = limits.withStackSize(parseSize(stack, "--stack"));
        if (!Files.isDirectory(root)) throw CliException.usage("--root " + root + ": not a directory");
        Kernel.Options options = Kernel.Options.defaults().withUnverified(unverified).withLimits(limits);
        String name = FileIo.programName(file);
        try (Kernel kernel = new Kernel(root, options)) {
            Thread ctrlC = new Thread(() -> kernel.killAll("killed: interrupted (Ctrl-C)"), "ring0-ctrl-c");
            Runtime.getRuntime().addShutdownHook(ctrlC);
            Exit exit;
            try {
                exit = kernel.run(elf, name, args);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(ctrlC);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and has killed the process
                }
            }
            System.out.flush();
            if (exit.message() != null) spec.commandLine().getErr().println("ring0: " + exit);
            return exit.status();
        } catch (IOException e) {
            throw CliException.usage("--root " + root + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** The file's bytes; a {@code .tal} source is assembled first. */
    private byte[] load() throws CliException {
        if (!file.toString().endsWith(".tal")) return FileIo.readBytes(file);
        String text = FileIo.readText(file);
        try {
            return ElfWriter.write(Assembler.assemble(text, file.toString()));
        } catch (AsmException e) {
            AsCommand.report(e.diagnostics(), text, spec.commandLine().getErr());
            throw CliException.rejected("assembly failed");
        }
    }

    /** {@code 2s}, {@code 500ms}, {@code 1m}, {@code 10} (seconds). */
    static Duration parseDuration(String s) throws CliException {
        try {
            String t = s.trim().toLowerCase();
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            if (t.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            if (t.endsWith("m")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw CliException.usage("--time-limit " + s + ": expected a duration like 2s or 500ms");
        }
    }

    /** {@code 64m}, {@code 1g}, {@code 4096k}, {@code 65536}. */
    static long parseSize(String s, String option) throws CliException {
        try {
            String t = s.trim().toLowerCase();
            long unit = 1;
            char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            switch (last) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> { }
            }
            if (unit != 1) t = t.substring(0, t.length() - 1);
            long v = Long.parseLong(t);
            if (v <= 0 || v > (1L << 40) / unit) throw new NumberFormatException();
            return v * unit;
        } catch (NumberFormatException e) {
            throw CliException.usage(option + " " + s + ": expected a size like 64m");
        }
    }
}
