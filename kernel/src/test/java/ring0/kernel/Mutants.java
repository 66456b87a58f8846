package ring0.kernel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.elf.ElfImage;
import ring0.elf.ElfReader;
import ring0.kernel.fs.StdStreams;
import ring0.verify.Checker;
import ring0.verify.IllTyped;

/**
 * Test-only, run in a child JVM by {@link MutantTest}: mutates the code and
 * data bytes of the examples at random, and runs every mutant the checker
 * accepts in kernel mode (with a time limit and a small quota). Whatever a
 * verified program does, the kernel must survive it: a crash of this JVM
 * fails the test. Prints {@code tried accepted} and the ends seen, then
 * {@code DONE}.
 *
 * <p>Arguments: seed, number of mutants.
 */
public final class Mutants {
    private Mutants() {}

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        Random rnd = new Random(seed);
        Path examples = Path.of(System.getProperty("user.dir")).getParent().resolve("examples");
        List<String> names = List.of("hello", "cat", "fib", "list", "sum", "sort", "tree", "closure", "upper");
        byte[][] elves = new byte[names.size()][];
        for (int i = 0; i < elves.length; i++) {
            String n = names.get(i);
            elves[i] = ElfWriter.write(Assembler.assemble(Files.readString(examples.resolve(n + ".tal")), n + ".tal"));
        }
        Path root = Files.createTempDirectory("ring0-mutants");
        var opts = Kernel.Options.defaults()
                .withLimits(Limits.DEFAULT.withMemoryQuota(8L << 20).withTimeLimit(Duration.ofMillis(200)))
                .withDiagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int accepted = 0;
        var ends = new java.util.TreeMap<String, Integer>();
        try (Kernel k = new Kernel(root, opts)) {
            for (int m = 0; m < count; m++) {
                int which = rnd.nextInt(elves.length);
                byte[] elf = elves[which].clone();
                ElfImage img = ElfReader.read(elf);
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    boolean data = img.data().length > 0 && rnd.nextInt(4) == 0;
                    long off = data ? img.textFileOffset() + img.dataOffset() + rnd.nextInt(img.data().length)
                            : img.textFileOffset() + rnd.nextInt(img.text().length);
                    elf[(int) off] ^= (byte) (1 << rnd.nextInt(8));
                }
                try {
                    Checker.check(elf, names.get(which));
                } catch (IllTyped rejected) {
                    continue;
                }
                accepted++;
                var out = new ByteArrayOutputStream();
                Job j = k.start(elf, names.get(which), List.of("3"),
                        new StdStreams(new ByteArrayInputStream("input\n".getBytes(StandardCharsets.UTF_8)), out, out));
                Exit e = j.waitFor();
                if (e.how() == Exit.How.KERNEL_ERROR) System.out.println("KERNEL_ERROR mutant " + m + ": " + e.message());
                ends.merge(e.how().toString(), 1, Integer::sum);
            }
        } finally {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        System.out.println(count + " " + accepted);
        System.out.println("ends " + ends);
        System.out.println("DONE");
    }
}
