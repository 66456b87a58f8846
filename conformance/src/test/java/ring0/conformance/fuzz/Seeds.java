package ring0.conformance.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import ring0.asm.AsmException;
import ring0.asm.Assembler;
import ring0.abi.Service;
import ring0.asm.Program;
import ring0.verify.Checker;
import ring0.verify.IllTyped;

/**
 * The seed programs: every example in {@code examples/} that assembles with a
 * {@code .ring0.types} section and that the checker accepts, with arguments
 * that make it do some work (the files they name are in the {@link Sandbox}).
 */
final class Seeds {
    private Seeds() {}

    /** Command-line arguments per example; examples not listed run without any. */
    private static final Map<String, List<String>> ARGS = Map.of(
            "cat", List.of("a.txt", "-", "b.txt", "no-such-file"),
            "fib", List.of("12"),
            "list", List.of("7"));

    /** The exit status of an example run with its arguments in a {@link Sandbox}: 0, but cat cannot open one file. */
    static int expectedExit(Seed s) {
        return s.name().equals("cat") ? 1 : 0;
    }

    /**
     * The seeds, in name order, and why the other examples are not seeds.
     *
     * @param seeds   the usable seeds
     * @param skipped example name to the reason it is not a seed
     */
    record Loaded(List<Seed> seeds, Map<String, String> skipped) {}

    static Loaded load() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        Path dir = examples();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".tal")).sorted().toList();
        }
        for (Path f : files) {
            String file = f.getFileName().toString(), name = file.substring(0, file.length() - 4);
            Program p;
            try {
                p = Assembler.assemble(Files.readString(f), file);
            } catch (AsmException e) {
                skipped.put(name, "does not assemble: " + firstLine(e.getMessage()));
                continue;
            }
            if (p.imports().contains(Service.SPAWN)) {
                // a mutant could spawn itself without end: a chain of processes no timeout of the top one stops
                skipped.put(name, "spawns processes");
                continue;
            }
            if (p.types() == null) {
                skipped.put(name, "assembled without a .ring0.types section");
                continue;
            }
            Seed seed = Seed.of(name, p, p.types(), ARGS.getOrDefault(name, List.of()));
            try {
                Checker.check(seed.elf(), file);
            } catch (IllTyped e) {
                skipped.put(name, "rejected by the checker: " + firstLine(e.getMessage()));
                continue;
            }
            seeds.add(seed);
        }
        return new Loaded(seeds, skipped);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The repository's {@code examples} directory, found from the working directory upwards. */
    static Path examples() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("examples/hello.tal"))) return d.resolve("examples");
        }
        throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
    }
}
