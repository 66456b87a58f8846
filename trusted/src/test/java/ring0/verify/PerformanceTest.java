package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ring0.elf.ElfImage;
import ring0.isa.Cond;
import ring0.isa.Reg;

/**
 * Checks a generated program of more than 100k instructions repeatedly and
 * reports the rate. The assertion is deliberately loose (it only catches
 * super-linear blow-ups); the figure is printed.
 */
class PerformanceTest {
    static final String REGS = "rbx: [int], rsi: bytes, rdi: int, r12: {int, int}";
    static final String BLOCK = "{" + REGS + " | code{rax: int | s} :: s; 0 < len(rsi)}";
    static final String F = "{rdx: int, " + REGS + " | code{rax: int, " + REGS + " | t; 0 < len(rsi)} :: t; 0 < len(rsi)}";

    /** {@code blocks} labels of 30 instructions each, every one with loads, stores, branches and a call. */
    static ElfImage program(int blocks) {
        TestProgram p = new TestProgram().label("main", Expect.MAIN).zero(Reg.RAX).ret()
                .label("f", F).mov(Reg.RAX, Reg.RDX).ret();
        for (int i = 0; i < blocks; i++) {
            String next = "b" + (i + 1);
            p.label("b" + i, BLOCK).zero(Reg.RAX).zero(Reg.RCX)
                    .cmpMem(Reg.RCX, Reg.RBX, 0).jcc(Cond.AE, next)
                    .load(Reg.RDX, Reg.RBX, Reg.RCX, 8, 8).add(Reg.RAX, Reg.RDX).store(Reg.RBX, Reg.RCX, 8, 8, Reg.RAX)
                    .loadByte(Reg.RDX, Reg.RSI, null, 8).add(Reg.RAX, Reg.RDX)
                    .load(Reg.RDX, Reg.R12, 0).store(Reg.R12, 8, Reg.RDX)
                    .emit(0x48, 0x6B, 0xD2, 0x03)                        // imul rdx, rdx, 3
                    .push(Reg.RDX).pop(Reg.RDX)
                    .mov(Reg.R8, Reg.RDI).andImm(Reg.R8, 7).add(Reg.RAX, Reg.R8)
                    .inc(Reg.RCX).cmp(Reg.RCX, Reg.RDI).jcc(Cond.B, next)
                    .mem(0x8D, Reg.RDX, Reg.RDX, Reg.RCX, 8, 16)        // lea rdx, [rdx+rcx*8+16]
                    .test(Reg.RDX, Reg.RDX).jcc(Cond.E, next)
                    .subImm(Reg.RSP, 8).mov(Reg.RDX, Reg.RDI).call("f").addImm(Reg.RSP, 8)
                    .jmp(next);
        }
        p.label("b" + blocks, BLOCK).zero(Reg.RAX).ret();
        return p.image("main");
    }

    @Test
    void reportsTheRateOnAProgramOfMoreThan100kInstructions() throws Exception {
        ElfImage img = program(4000);
        Verified v = Checker.check(img, "perf");
        assertThat(v.instructions()).isGreaterThan(100_000);
        long warm = System.nanoTime();
        for (int i = 0; i < 60 && System.nanoTime() - warm < 8_000_000_000L; i++) Checker.check(img, "perf");
        // the best of several runs, by wall time and by the process's CPU time (the build machine may be busy)
        double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        for (int i = 0; i < 15; i++) {
            long wall = System.nanoTime();
            long cpu = cpuNanos();
            Checker.check(img, "perf");
            bestWall = Math.min(bestWall, (System.nanoTime() - wall) / 1e9);
            bestCpu = Math.min(bestCpu, (cpuNanos() - cpu) / 1e9);
        }
        System.out.printf("checker: %.2f million instructions/s by wall time, %.2f by process CPU time"
                + " (best of 15 runs; %d instructions, %d labels)%n",
                v.instructions() / bestWall / 1e6, v.instructions() / bestCpu / 1e6, v.instructions(), v.labelCount());
        assertThat(v.instructions() / Math.max(bestCpu, 1e-9)).isGreaterThan(200_000);
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(System.nanoTime());
    }
}
