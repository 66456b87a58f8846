package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever the input, the assembler returns a well-formed {@link Program} or
 * throws {@link AsmException} with positioned diagnostics: never anything else,
 * whether it assembles the input as typed (then with a types section the
 * checker's reader accepts) or as untyped.
 * Scale with {@code -Dring0.fuzz.count=N}; the seed is fixed unless
 * {@code -Dring0.fuzz.seed} is given.
 */
class FuzzTest {
    private static final int COUNT = Integer.getInteger("ring0.fuzz.count", 100_000);
    private static final long SEED = Long.getLong("ring0.fuzz.seed", 20030617L);

    private static final String CORPUS = """
            import write, exit, read
            entry main
            N equ 8 * (1 << 2) - 'a' % 3
            type list = ptr({next: list})
            section .text
            main: {rax: int, rbx: ptr(list)}
                mov rax, [rbx + rcx*8 + N]
                lea rsi, [rel msg + 8]
                %unroll rbx
            .loop:
                cmp qword [rsp+8], -1
                jnz short .loop
                jmp near .done
                imul ecx, [rdi], 10
                movzx eax, byte [rsi]
                shl r9, cl
                setge al
                cmovz rax, rdx
                push 5
                pop r15
                call [rel write]
                call f
            .done:
                ret
            f:  xor eax, eax
                ret
            section .data
            msg: bytes "hi\\n", 0
            buf: zbytes 16
            w:   words 1, 2, N
                 align 16
            v:   dq 0x1234_5678_9abc, -1
                 db "x", 'y', 0
            """;

    private static final String[] FRAGMENTS = {
        "[", "]", "{", "}", "%", "\"", "'", "\\", ":", ",", "+", "*", "<<", ">>", ";", "\n", " ", "\t", "\r",
        "rel ", "qword ", "byte ", "word ", "short ", "near ", "0x", "0b", "_", "99999999999999999999999", "-", "~",
        "(", ")", " equ ", "type t = ", "section .data\n", "section .text\n", "section .bss\n", "import write\n",
        "import fork\n", "entry ", ".x:", "main:", ".loop", "rax", "ah", "r8b", "esp", "rsp*3", "rbx*2", "'\\x'", "é",
        "\0", "mov ", "jmp ", "jz ", "db ", "bytes ", "zbytes 99999999", "zwords 9999999999", "align 3", "{x}", "$",
        "0x7fffffff", "-0x80000000", "0xffffffffffffffff", "2147483648", "255", "256", "-129", "cl", "[rel main]",
        "\"\\x4", "write", "ptr", "%%", "}}", "{{", "movsxd ", "imul ", "push ", "call ", "ret", "nop",
    };

    /** Typed examples used as seeds. */
    private static final List<String> EXAMPLES = List.of("hello.tal", "cat.tal", "list.tal", "closure.tal");

    private static List<String> seeds() throws IOException {
        List<String> seeds = new ArrayList<>(List.of(CORPUS));
        for (String f : EXAMPLES) {
            Path p = Path.of("..", "examples", f);
            if (Files.exists(p)) seeds.add(Files.readString(p));
        }
        return seeds;
    }

    private static String mutate(String seed, Random rnd) {
        List<String> lines = new ArrayList<>(Arrays.asList(seed.split("\n", -1)));
        if (rnd.nextInt(20) != 0) {
            int from = rnd.nextInt(lines.size());
            lines = new ArrayList<>(lines.subList(from, Math.min(lines.size(), from + 1 + rnd.nextInt(20))));
            if (rnd.nextBoolean()) lines.addFirst("main:");
        }
        StringBuilder s = new StringBuilder(String.join("\n", lines));
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            int at = s.isEmpty() ? 0 : rnd.nextInt(s.length() + 1);
            switch (rnd.nextInt(6)) {
                case 0, 1 -> s.insert(at, FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]);
                case 2 -> s.delete(at, Math.min(s.length(), at + 1 + rnd.nextInt(10)));
                case 3 -> s.insert(at, (char) rnd.nextInt(0x300));
                case 4 -> {
                    String[] ls = s.toString().split("\n", -1);
                    String line = ls[rnd.nextInt(ls.length)];
                    s.insert(at, "\n" + line + "\n");
                }
                default -> s.setLength(rnd.nextInt(s.length() + 1));
            }
        }
        return s.toString();
    }

    /** Checks one input, typed and untyped; returns true if it assembled as untyped. */
    private static boolean check(String src) {
        check(src, false);
        return check(src, true);
    }

    private static boolean check(String src, boolean untyped) {
        Program p;
        try {
            p = Assembler.assemble(src, "fuzz.tal", untyped);
        } catch (AsmException e) {
            int lines = src.split("\n", -1).length;
            assertThat(e.diagnostics()).isNotEmpty();
            for (Diagnostic d : e.diagnostics()) {
                if (d.line() < 1 || d.line() > lines || d.column() < 1 || !d.file().equals("fuzz.tal")
                        || d.message().isBlank()) {
                    fail("bad diagnostic " + d + " for:\n" + src);
                }
            }
            return false;
        } catch (Throwable t) {
            throw new AssertionError("crash on input (" + (untyped ? "untyped" : "typed") + "):\n" + src, t);
        }
        assertWellFormed(p, src);
        return true;
    }

    static void assertWellFormed(Program p, String src) {
        int text = p.text().length;
        boolean ok = p.rwOffset() % 4096 == 0 && p.rwOffset() >= Math.max(4096, text)
                && p.rwOffset() < text + 4096 + (text == 0 ? 1 : 0)
                && p.dataOffset() == (p.rwOffset() + 16 + 8 * p.imports().size() + 15) / 16 * 16
                && p.entryOffset() >= 8 && p.entryOffset() <= text
                && p.imports().getFirst() == ring0.abi.Service.STOP;
        if (p.typed()) {
            try {
                ring0.verify.TypesSection ts = ring0.verify.TypesSection.read(p.types());
                ok &= ts.labels().size() == p.symbols().stream()
                        .filter(s -> s.section() == Program.Section.TEXT && !s.name().equals("__stop")).count();
            } catch (ring0.verify.TypesSectionException e) {
                fail("types section rejected: " + e.getMessage() + "\n" + src);
            }
        }
        for (Program.Symbol s : p.symbols()) {
            int lo = s.section() == Program.Section.TEXT ? 0 : p.dataOffset();
            int hi = s.section() == Program.Section.TEXT ? text : p.dataOffset() + p.data().length;
            ok &= s.imageOffset() >= lo && s.size() >= 0 && s.imageOffset() + s.size() <= hi;
        }
        if (!ok) fail("malformed program for:\n" + src + "\n" + p);
    }

    @Test
    void mutatedSourcesNeverCrash() throws IOException {
        List<String> seeds = seeds();
        Random rnd = new Random(SEED);
        int assembled = 0;
        for (int i = 0; i < COUNT; i++) if (check(mutate(seeds.get(rnd.nextInt(seeds.size())), rnd))) assembled++;
        // the mutations must explore both sides: valid programs and every kind of error
        assertThat(assembled).as("inputs that assembled").isBetween(COUNT / 50, COUNT - COUNT / 50);
    }

    @Test
    void randomCharactersNeverCrash() {
        Random rnd = new Random(SEED + 1);
        String alphabet = "abcdexyzmovjmpraxl0123456789 \t\n[]{}()%;:,+-*/<>&|^~'\"\\._=$éq";
        for (int i = 0; i < COUNT / 10; i++) {
            char[] c = new char[rnd.nextInt(80)];
            for (int k = 0; k < c.length; k++) c[k] = alphabet.charAt(rnd.nextInt(alphabet.length()));
            check(new String(c));
        }
    }

    @Test
    void unmutatedSeedsAssemble() throws IOException {
        List<String> seeds = seeds();
        for (String s : seeds) assertWellFormed(Asm.ok(s), s);
        for (String s : seeds.subList(1, seeds.size())) assertWellFormed(Asm.typed(s), s);
    }
}
