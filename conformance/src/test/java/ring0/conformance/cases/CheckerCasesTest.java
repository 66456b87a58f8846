package ring0.conformance.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import ring0.verify.Checker;
import ring0.verify.IllTyped;
import ring0.verify.Rejection;

/**
 * The hostile checker suite: one dynamic test per case of every
 * {@code src/test/resources/cases/*.cases} file (format in the README there),
 * grouped by file. Each case is assembled with GNU as (see {@link CaseImage})
 * and checked; an accepted case must verify, a rejected case must fail with the
 * expected message fragment at the expected place, so that it cannot pass by
 * failing somewhere else for an unrelated reason. A failure that starts with
 * {@code SOUNDNESS} is a program the checker should have rejected.
 */
class CheckerCasesTest {
    private static Path work;

    @BeforeAll
    static void workDir() throws IOException {
        work = Files.createTempDirectory("ring0-cases");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    @TestFactory
    Stream<DynamicNode> cases() throws IOException, URISyntaxException {
        List<DynamicNode> files = new ArrayList<>();
        for (Path file : caseFiles()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (Case c : parse(file)) tests.add(DynamicTest.dynamicTest(c.name(), file.toUri(), () -> run(c)));
            files.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), file.toUri(), tests.stream()));
        }
        return files.stream();
    }

    /** The suite keeps its shape: enough cases, and accepted twins beside the rejected ones in every file. */
    @Test
    void everyFileHoldsAcceptedAndRejectedCases() throws IOException, URISyntaxException {
        int total = 0;
        for (Path file : caseFiles()) {
            List<Case> cases = parse(file);
            total += cases.size();
            assertThat(cases).as("accepted cases in %s", file.getFileName())
                    .anyMatch(c -> c.expect() instanceof Case.Expect.Accept);
            assertThat(cases).as("rejected cases in %s", file.getFileName())
                    .anyMatch(c -> c.expect() instanceof Case.Expect.Reject);
        }
        assertThat(total).as("number of cases").isGreaterThanOrEqualTo(250);
    }

    /** Every {@code .cases} file of the resource directory {@code cases}, by name. */
    private static List<Path> caseFiles() throws IOException, URISyntaxException {
        URL readme = CheckerCasesTest.class.getResource("/cases/README.md");
        if (readme == null) throw new IOException("resource /cases/README.md not found");
        Path dir = Path.of(readme.toURI()).getParent();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".cases")).sorted().toList();
            if (files.isEmpty()) throw new IOException("no .cases files in " + dir);
            return files;
        }
    }

    private static List<Case> parse(Path file) throws IOException {
        return CaseFile.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    private static void run(Case c) throws Exception {
        Assumptions.assumeTrue(c.pending() == null, () -> "pending: " + c.pending());
        CaseImage.Built built = build(c);
        check(c, built, () -> Checker.check(built.image(), c.name()), "image");
        if (c.elf()) {
            byte[] elf = ElfWrap.wrap(built);
            check(c, built, () -> Checker.check(elf, c.name()), "ELF file");
        }
    }

    /** The case's image; a case that needs a service the ABI table lacks is skipped as pending. */
    private static CaseImage.Built build(Case c) throws IOException, InterruptedException {
        try {
            return CaseImage.build(c, work);
        } catch (CaseImage.MissingService e) {
            return Assumptions.abort("pending: " + e.getMessage());
        }
    }

    /** One call of the checker. */
    @FunctionalInterface
    private interface CheckerCall {
        void call() throws IllTyped;
    }

    private static void check(Case c, CaseImage.Built built, CheckerCall checker, String what) {
        String where = c.file() + ":" + c.line() + " (" + what + ")";
        Rejection r = null;
        try {
            checker.call();
        } catch (IllTyped e) {
            r = e.rejection();
        }
        switch (c.expect()) {
            case Case.Expect.Accept a -> {
                if (r != null) fail("%s: expected accept, but the checker rejected:%n  %s%n%s", where, r, listing(built));
            }
            case Case.Expect.Reject rej -> {
                if (r == null) {
                    fail("%s: SOUNDNESS: expected reject \"%s\", but the checker accepted%n%s", where, rej.fragment(), listing(built));
                    return;
                }
                if (!reason(r).contains(rej.fragment())) {
                    fail("%s: rejected for another reason: expected a message containing \"%s\", got:%n  %s", where, rej.fragment(), r);
                }
                String place = placeProblem(rej.where(), r, built);
                if (place != null) fail("%s: rejected at the wrong place: %s; the rejection:%n  %s", where, place, r);
            }
        }
    }

    /**
     * The reason of a rejection: its message with what was expected and found, but
     * without the file, place and instruction text (so a fragment naming a
     * register cannot match the disassembly by accident).
     */
    private static String reason(Rejection r) {
        if (r.expected() == null && r.found() == null) return r.message();
        return r.message() + " (expected " + r.expected() + ", found " + r.found() + ")";
    }

    /** Why rejection {@code r} is not at {@code w}, or null if it is. */
    private static String placeProblem(Case.Where w, Rejection r, CaseImage.Built built) {
        return switch (w) {
            case Case.Where.Marker m -> {
                int at = built.marker();
                String label = built.labelAt(at);
                String shown = label == null ? "" : label + "+0x" + Integer.toHexString(at - built.labels().get(label)) + ", ";
                yield r.imageOffset() == at ? null
                        : "expected the marked instruction (" + shown + "image offset 0x" + Integer.toHexString(at) + ")";
            }
            case Case.Where.At a -> r.imageOffset() >= 0 && a.label().equals(r.label()) && r.labelOffset() == a.offset() ? null
                    : "expected " + a.label() + "+0x" + Integer.toHexString(a.offset());
            case Case.Where.Image i -> r.imageOffset() == i.offset() ? null : "expected image offset 0x" + Integer.toHexString(i.offset());
            case Case.Where.Section s -> r.imageOffset() < 0 ? null : "expected a rejection of the annotations, not of an instruction";
        };
    }

    /** The generated source, numbered, to read a failure against. */
    private static String listing(CaseImage.Built built) {
        return "--- generated source ---\n" + Gas.numbered(built.source());
    }
}
