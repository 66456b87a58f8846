package ring0.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import ring0.asm.AsmException;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.verify.Checker;
import ring0.verify.IllTyped;

/**
 * A benchmark program, assembled from its {@code .tal} source and accepted by
 * the checker, written once as an executable: the one file every gate runs.
 *
 * @param name the program's name, e.g. {@code lat_syscall}
 * @param elf  the ELF file's bytes
 * @param exe  where they were written (executable)
 */
record BenchProgram(String name, byte[] elf, Path exe) {
    /** The programs' sources: {@code bench/NAME.tal} at the top of the ring0 tree. */
    static final String SOURCE_DIR = "bench";

    /**
     * Assembles {@code dir/NAME.tal}, verifies it with the trusted checker and
     * writes the executable to {@code outDir/NAME}.
     *
     * @throws BenchException if the source is missing, does not assemble, or the checker rejects it
     */
    static BenchProgram build(Path dir, String name, Path outDir) throws BenchException {
        Path src = dir.resolve(name + ".tal");
        String text;
        try {
            text = Files.readString(src, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("cannot read " + src + ": " + e.getMessage());
        }
        byte[] elf;
        try {
            elf = ElfWriter.write(Assembler.assemble(text, src.toString()));
        } catch (AsmException e) {
            throw new BenchException(src + " does not assemble: " + e.diagnostics().getFirst());
        }
        try {
            Checker.check(elf, name);
        } catch (IllTyped e) {
            throw new BenchException("the checker rejects " + name + ": " + e.getMessage());
        }
        Path exe = outDir.resolve(name);
        try {
            Files.write(exe, elf);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new BenchException("cannot write " + exe + ": " + e.getMessage());
        }
        return new BenchProgram(name, elf, exe);
    }

    /**
     * The directory holding the programs' sources: {@code given} if not null,
     * else the first {@code bench/} with a {@code lat_syscall.tal} found by
     * going up from the working directory, then from where this code was
     * loaded (the cli jar sits in {@code cli/target/}).
     *
     * @throws BenchException if there is none
     */
    static Path sourceDir(Path given) throws BenchException {
        if (given != null) {
            if (!Files.isDirectory(given)) throw new BenchException("no such directory: " + given);
            return given;
        }
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            var where = BenchProgram.class.getProtectionDomain().getCodeSource();
            if (where != null) starts.add(Path.of(where.getLocation().toURI()).toAbsolutePath());
        } catch (Exception e) {
            // no usable code location: the working directory is the only start
        }
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                Path candidate = d.resolve(SOURCE_DIR);
                if (Files.isRegularFile(candidate.resolve("lat_syscall.tal"))) return candidate;
            }
        }
        throw new BenchException("cannot find the benchmark sources (" + SOURCE_DIR
                + "/lat_syscall.tal) above the working directory: run from the ring0 tree or pass --programs DIR");
    }
}
