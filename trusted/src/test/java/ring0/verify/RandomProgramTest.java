package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import ring0.abi.Service;
import ring0.elf.ElfImage;
import ring0.isa.Cond;
import ring0.isa.Reg;

/**
 * The checker never fails with anything but a rejection, on random well-formed
 * programs and on damaged copies of valid ones; and it is deterministic.
 */
class RandomProgramTest {
    private static final Reg[] REGS = {Reg.RAX, Reg.RBX, Reg.RCX, Reg.RDX, Reg.RSI, Reg.RDI, Reg.R8, Reg.R12};
    private static final String[] TYPES = {"int", "=0", "=3", "bytes", "bytes?", "[int]", "[bytes]", "{int, ~int}", "{int}?",
        "list", "shape", "clos", "code{rdi: int | code{rax: int | t} :: t}"};
    private static final String RET = "code{rax: int | s} :: s";

    static int internalErrors(ElfImage img) {
        String first = outcome(img), second = outcome(img);
        assertThat(second).isEqualTo(first);
        return first.startsWith("internal checker error") ? 1 : 0;
    }

    static String outcome(ElfImage img) {
        try {
            Checker.check(img, "r");
            return "accepted";
        } catch (IllTyped e) {
            return e.rejection().message();
        }
    }

    @Test
    void randomPrograms() {
        Random rnd = new Random(Long.getLong("ring0.verify.seed", 20240601L));
        int n = Math.min(Integer.getInteger("ring0.fuzz.count", 100000) / 20, 5000);
        int accepted = 0;
        java.util.Map<String, Integer> why = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            ElfImage img = random(rnd);
            String o = outcome(img);
            assertThat(o).doesNotStartWith("internal checker error");
            if (o.equals("accepted")) accepted++;
            why.merge(o.replaceAll("[0-9].*", "").replaceAll(":.*", ""), 1, Integer::sum);
        }
        System.out.println("random programs: " + accepted + " of " + n + " accepted");
        if (Boolean.getBoolean("ring0.verify.verbose")) why.forEach((k, v) -> System.out.println(v + "\t" + k));
    }

    @Test
    void damagedValidPrograms() {
        List<TestProgram> seeds = List.of(InstructionRulesTest.sumLoop(true), ControlFlowTest.closure("pack rax as clos"),
                ControlFlowTest.alloc("alloc {int, int}", 16, true), ControlFlowTest.callerSaves(false));
        Random rnd = new Random(99);
        int n = Math.min(Integer.getInteger("ring0.fuzz.count", 100000) / 10, 10000);
        for (TestProgram seed : seeds) {
            ElfImage good = seed.image("main");
            assertThat(outcome(good)).isEqualTo("accepted");
            for (int i = 0; i < n / seeds.size(); i++) {
                byte[] text = good.text().clone();
                byte[] types = good.types().clone();
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    if (rnd.nextInt(4) == 0) types[rnd.nextInt(types.length)] ^= (byte) (1 << rnd.nextInt(8));
                    else text[8 + rnd.nextInt(text.length - 8)] = (byte) rnd.nextInt(256);
                }
                ElfImage bad = new ElfImage(good.textVaddr(), text, good.rwOffset(), good.imports(), good.dataOffset(), good.data(),
                        good.entryOffset(), good.symbols(), types, good.textFileOffset(), good.typesFileOffset());
                assertThat(internalErrors(bad)).as(outcome(bad)).isZero();
            }
        }
    }

    /** A random program: typed labels with random bodies built from the instruction forms the rules cover. */
    static ElfImage random(Random rnd) {
        TestProgram p = new TestProgram(Service.EXIT, Service.WRITE, Service.ALLOC);
        p.type("list", "{int, list}?").type("shape", "{=0, int} + {=1, int, int}")
                .type("clos", "exists e. {code{rdi: e | code{rax: int | t} :: t}, e}");
        int labels = 1 + rnd.nextInt(5);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labels; i++) names.add(i == 0 ? "main" : "l" + i);
        for (int i = 0; i < labels; i++) {
            p.label(names.get(i), i == 0 ? "{rdi: [bytes] | " + RET + "}" : pre(rnd));
            int body = rnd.nextInt(12);
            for (int k = 0; k < body; k++) instruction(p, rnd, names);
            switch (rnd.nextInt(4)) {
                case 0 -> p.ret();
                case 1 -> p.jmp(names.get(rnd.nextInt(labels)));
                case 2 -> p.zero(Reg.RAX).ret();
                default -> { }
            }
        }
        p.bytesData("msg", "hello".getBytes()).wordsData("tbl", 1, 2, 3).wordData("n", 4);
        return p.image("main");
    }

    private static String pre(Random rnd) {
        StringBuilder sb = new StringBuilder("{");
        List<Reg> used = new ArrayList<>();
        int regs = rnd.nextInt(4);
        for (int i = 0; i < regs; i++) {
            Reg r = REGS[rnd.nextInt(REGS.length)];
            if (used.contains(r)) continue;
            used.add(r);
            if (!sb.toString().equals("{")) sb.append(", ");
            sb.append(r.name(ring0.isa.Width.QWORD)).append(": ").append(TYPES[rnd.nextInt(TYPES.length)]);
        }
        sb.append(" | ");
        if (rnd.nextInt(4) == 0) sb.append("junk :: ");
        sb.append(rnd.nextInt(5) == 0 ? "s" : RET);
        return sb.append("}").toString();
    }

    private static Reg reg(Random rnd) {
        return REGS[rnd.nextInt(REGS.length)];
    }

    private static void instruction(TestProgram p, Random rnd, List<String> names) {
        int disp = new int[] {0, 8, 16, 24, -8, 3}[rnd.nextInt(6)];
        switch (rnd.nextInt(26)) {
            case 0 -> p.mov(reg(rnd), reg(rnd));
            case 1 -> p.movImm(reg(rnd), rnd.nextInt(20) - 5);
            case 2 -> p.add(reg(rnd), reg(rnd));
            case 3 -> p.cmp(reg(rnd), reg(rnd));
            case 4 -> p.test(reg(rnd), reg(rnd));
            case 5 -> p.load(reg(rnd), reg(rnd), disp);
            case 6 -> p.store(reg(rnd), disp, reg(rnd));
            case 7 -> p.load(reg(rnd), reg(rnd), reg(rnd), 8, 8);
            case 8 -> p.loadByte(reg(rnd), reg(rnd), reg(rnd), 8);
            case 9 -> p.jcc(Cond.of(rnd.nextInt(16)), names.get(rnd.nextInt(names.size())));
            case 10 -> p.push(reg(rnd));
            case 11 -> p.pop(reg(rnd));
            case 12 -> p.subImm(Reg.RSP, 8 * rnd.nextInt(3));
            case 13 -> p.addImm(Reg.RSP, 8 * rnd.nextInt(3));
            case 14 -> p.call(names.get(rnd.nextInt(names.size())));
            case 15 -> p.lea(reg(rnd), rnd.nextBoolean() ? names.get(rnd.nextInt(names.size())) : "tbl");
            case 16 -> p.callReg(reg(rnd));
            case 17 -> p.cmpMem(reg(rnd), reg(rnd), 0);
            case 18 -> p.zero(reg(rnd));
            case 19 -> p.movImm(Reg.RDI, 16).coerce("alloc {int, list}").callSlot(Service.ALLOC);
            case 20 -> p.coerce(new String[] {"unpack rbx", "as rax : int", "pack rax as clos", "as rbx : list"}[rnd.nextInt(4)]).nop();
            case 21 -> p.cqo().idiv(reg(rnd));
            case 22 -> p.zero(Reg.RDX).div(reg(rnd));
            case 23 -> p.callSlot(Service.WRITE);
            case 24 -> p.storeWord("n", reg(rnd));
            default -> p.andImm(reg(rnd), 7);
        }
    }
}
