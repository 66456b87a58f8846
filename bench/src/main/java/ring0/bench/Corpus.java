package ring0.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ring0.asm.AsmException;
import ring0.asm.Assembler;
import ring0.isa.DecodeException;
import ring0.isa.Decoder;

/**
 * The decoder benchmark's input: machine code assembled by ring0 from the
 * example programs and a generated program, cut at an instruction boundary
 * and padded with one-byte {@code nop}s to exactly {@link #SIZE} bytes, so
 * that one pass over it decodes exactly {@code SIZE} bytes.
 *
 * <p>Examples that do not assemble at this stage (those written for the type
 * layer still to come) are left out and listed in {@link #skipped}.
 *
 * @param code     exactly {@link #SIZE} bytes of whole instructions
 * @param included the programs whose code is in the corpus, in order
 * @param skipped  examples left out, each with the first assembler error
 */
public record Corpus(byte[] code, List<String> included, List<String> skipped) {

    /** Bytes of code in the corpus: 64 KiB. */
    public static final int SIZE = 64 * 1024;
    /** Seed of the generated program. */
    public static final long SEED = 20_030_101L;
    /** Functions in the generated program; enough for more than {@link #SIZE} bytes of code on its own. */
    public static final int FUNCTIONS = 450;

    /**
     * Builds the corpus.
     *
     * @param examples directory holding the {@code *.tal} examples
     * @throws IllegalStateException if the generated program does not assemble or the code does not decode
     */
    public static Corpus build(Path examples) {
        List<byte[]> texts = new ArrayList<>();
        List<String> included = new ArrayList<>(), skipped = new ArrayList<>();
        for (Path p : sources(examples)) {
            try {
                texts.add(Assembler.assemble(read(p), p.toString()).text());
                included.add(p.getFileName().toString());
            } catch (AsmException e) {
                skipped.add(e.diagnostics().isEmpty() ? p.toString() : e.diagnostics().getFirst().toString());
            }
        }
        texts.add(assemble(ProgramGenerator.generate(SEED, FUNCTIONS), "generated.tal"));
        included.add("generated.tal");

        byte[] corpus = new byte[SIZE];
        int used = 0;
        for (byte[] text : texts) {
            int n = wholeInstructions(text, SIZE - used);
            System.arraycopy(text, 0, corpus, used, n);
            used += n;
        }
        if (used < SIZE - 15) throw new IllegalStateException("only " + used + " bytes of code; need " + SIZE);
        java.util.Arrays.fill(corpus, used, SIZE, (byte) 0x90); // nop
        requireDecodable(corpus);
        return new Corpus(corpus, included, skipped);
    }

    /** Finds {@code examples/} in the working directory or one of its parents. */
    public static Path findExamples() {
        String configured = System.getProperty("ring0.examples");
        if (configured != null) return Path.of(configured);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("examples/hello.tal"))) return d.resolve("examples");
        }
        throw new IllegalStateException("cannot find examples/hello.tal above " + Path.of("").toAbsolutePath()
                + "; run from the repository or pass -Dring0.examples=DIR");
    }

    /** The longest prefix of {@code code} made of whole instructions and at most {@code max} bytes. */
    static int wholeInstructions(byte[] code, int max) {
        int off = 0;
        try {
            while (off < code.length) {
                int len = Decoder.decode(code, off, code.length).length();
                if (off + len > max) break;
                off += len;
            }
        } catch (DecodeException e) {
            throw new IllegalStateException("assembled code does not decode: " + e.getMessage(), e);
        }
        return off;
    }

    private static void requireDecodable(byte[] code) {
        if (wholeInstructions(code, code.length) != code.length) throw new IllegalStateException("corpus ends mid-instruction");
    }

    private static List<Path> sources(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".tal")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private static byte[] assemble(String source, String name) {
        try {
            return Assembler.assemble(source, name).text();
        } catch (AsmException e) {
            throw new IllegalStateException(name + " does not assemble:\n" + e.getMessage(), e);
        }
    }
}
