package ring0.conformance;

import java.util.List;

/**
 * Small ring0 programs (assembly source text) that exercise the kernel
 * services through the Linux entry stub. They print one value per line in
 * signed decimal, which the tests compare with what Java sees of the process.
 * They are untyped (they test the services, including calls no typed program
 * may make), but like every program they get the stop block and the polls.
 */
final class LinuxPrograms {
    private LinuxPrograms() {}

    /** {@code print(rdi)}: rdi in signed decimal and a newline on stdout. Needs {@code write} and {@code numbuf}. */
    private static final String PRINT = """
            ; print(rdi): writes rdi in signed decimal and a newline to stdout
            print:
                    sub rsp, 8
                    lea rsi, [rel numbuf]
                    mov rax, rdi
                    xor ecx, ecx
                    test rax, rax
                    jns .digits
                    neg rax
                    mov byte [rsi + 8], '-'
                    mov ecx, 1
            .digits:
                    mov r8, rcx
            .next:
                    xor edx, edx
                    mov r9d, 10
                    div r9
                    add edx, '0'
                    mov [rsi + rcx + 8], dl
                    inc rcx
                    test rax, rax
                    jnz .next
                    lea r9, [rcx - 1]
            .reverse:
                    cmp r8, r9
                    jae .emit
                    movzx eax, byte [rsi + r8 + 8]
                    movzx edx, byte [rsi + r9 + 8]
                    mov [rsi + r8 + 8], dl
                    mov [rsi + r9 + 8], al
                    inc r8
                    dec r9
                    jmp .reverse
            .emit:
                    mov byte [rsi + rcx + 8], 10
                    inc rcx
                    mov edi, 1
                    mov rdx, rcx
                    call [rel write]
                    add rsp, 8
                    ret
            """;

    private static final String PRINT_DATA = "numbuf: zbytes 32\n";

    /** An untyped program: {@code main}, then {@link #PRINT}; {@code data} after {@code numbuf}. */
    static String program(String imports, String main, String data) {
        return "untyped\nimport " + imports + "\n\nsection .text\n\n" + main + "\n" + PRINT + "\nsection .data\n\n" + PRINT_DATA + data;
    }

    /** Prints getpid() and getppid(). */
    static final String IDS = program("write, getpid, getppid", """
            main:
                    sub rsp, 8
                    call [rel getpid]
                    mov rdi, rax
                    call print
                    call [rel getppid]
                    mov rdi, rax
                    call print
                    xor eax, eax
                    add rsp, 8
                    ret
            """, "");

    /** Prints clock() twice, with some work in between. */
    static final String CLOCK = program("write, clock", """
            main:
                    push rbx
                    call [rel clock]
                    mov rbx, rax
                    mov ecx, 1000000
            .spin:
                    dec ecx
                    jnz .spin
                    call [rel clock]
                    push rax
                    push rax
                    mov rdi, rbx
                    call print
                    pop rdi
                    pop rax
                    call print
                    xor eax, eax
                    pop rbx
                    ret
            """, "");

    /**
     * alloc: for a block from a chunk (100000 bytes) and one mapped on its own
     * (1000000 bytes), prints its address, the sum of its fresh bytes, and a
     * value written and read back at its last byte; then the results of
     * alloc(0), alloc(2^40 + 1), alloc(-1), alloc(2^47 + 1) and alloc(2^40).
     */
    static final String ALLOC = program("write, alloc", """
            main:
                    push r12
                    push r13
                    push r14
                    mov r13d, 100000
                    call block
                    mov r13d, 1000000
                    call block
                    xor edi, edi
                    call [rel alloc]
                    mov rdi, rax
                    call print
                    mov rdi, 0x10000000001
                    call [rel alloc]
                    mov rdi, rax
                    call print
                    mov rdi, -1
                    call [rel alloc]
                    mov rdi, rax
                    call print
                    mov rdi, 0x800000000001
                    call [rel alloc]
                    mov rdi, rax
                    call print
                    mov rdi, 0x10000000000
                    call [rel alloc]
                    mov rdi, rax
                    call print
                    xor eax, eax
                    pop r14
                    pop r13
                    pop r12
                    ret
            ; block: alloc(r13), prints its address, the sum of its bytes, and 77 written at the end and read back
            block:
                    sub rsp, 8
                    mov rdi, r13
                    call [rel alloc]
                    mov r12, rax
                    mov rdi, rax
                    call print
                    xor edx, edx
                    xor ecx, ecx
            .sum:
                    movzx eax, byte [r12 + rcx]
                    add rdx, rax
                    inc rcx
                    cmp rcx, r13
                    jb .sum
                    mov rdi, rdx
                    call print
                    mov byte [r12 + r13 - 1], 77
                    mov byte [r12], 1
                    movzx edi, byte [r12 + r13 - 1]
                    call print
                    add rsp, 8
                    ret
            """, "");

    /**
     * Many small allocs: 400000 blocks of 24 bytes (9.6 MB, more than two
     * chunks), each checked to be zero and 8-aligned and then filled. Prints
     * the number of blocks that were not zero or not aligned (0), then the
     * number of distinct 1 MiB regions the blocks came from, rounded: at
     * least 9.
     */
    static final String HEAP = program("write, alloc", """
            main:
                    push rbx
                    push r12
                    push r13
                    push r14
                    sub rsp, 8
                    xor ebx, ebx                    ; blocks done
                    xor r12d, r12d                  ; bad blocks
                    xor r13d, r13d                  ; region changes
                    mov r14, -1                     ; last region
            .next:
                    mov edi, 24
                    call [rel alloc]
                    test rax, rax
                    jz .bad
                    test al, 7
                    jnz .bad
                    mov rcx, [rax]
                    or rcx, [rax + 8]
                    or rcx, [rax + 16]
                    jnz .bad
                    mov [rax], rax
                    mov [rax + 8], rax
                    mov [rax + 16], rax
                    shr rax, 20
                    cmp rax, r14
                    je .counted
                    mov r14, rax
                    inc r13
                    jmp .counted
            .bad:
                    inc r12
            .counted:
                    inc rbx
                    cmp rbx, 400000
                    jb .next
                    mov rdi, r12
                    call print
                    mov rdi, r13
                    call print
                    xor eax, eax
                    add rsp, 8
                    pop r14
                    pop r13
                    pop r12
                    pop rbx
                    ret
            """, "");

    /**
     * newbytes and newwords: for each of newbytes(10), newbytes(0),
     * newbytes(1000000), newwords(3), newwords(0), newwords(200000) prints
     * whether the result is non-null (1/0), its length word, and the sum of
     * its elements; then writes the last element and reads it back (prints
     * it, or 0 for an empty array). Then the raw results of newbytes and
     * newwords for 2^40 + 1 and -1 (all 0), and for 2^40 (null or not).
     */
    static final String ARRAYS = program("write, newbytes, newwords", """
            main:
                    push rbx
                    push r12
                    push r13
                    mov r13d, 10
                    call bytes
                    xor r13d, r13d
                    call bytes
                    mov r13d, 1000000
                    call bytes
                    mov r13d, 3
                    call words
                    xor r13d, r13d
                    call words
                    mov r13d, 200000
                    call words
                    mov rdi, 0x10000000001
                    call [rel newbytes]
                    mov rdi, rax
                    call print
                    mov rdi, -1
                    call [rel newbytes]
                    mov rdi, rax
                    call print
                    mov rdi, 0x10000000001
                    call [rel newwords]
                    mov rdi, rax
                    call print
                    mov rdi, -1
                    call [rel newwords]
                    mov rdi, rax
                    call print
                    mov rdi, 0x10000000000
                    call [rel newbytes]
                    test rax, rax
                    setnz dil
                    movzx edi, dil
                    call print
                    mov rdi, 0x10000000000
                    call [rel newwords]
                    test rax, rax
                    setnz dil
                    movzx edi, dil
                    call print
                    xor eax, eax
                    pop r13
                    pop r12
                    pop rbx
                    ret
            ; bytes: newbytes(r13), then prints non-null, length, sum, last byte written and read back
            bytes:
                    sub rsp, 8
                    mov rdi, r13
                    call [rel newbytes]
                    mov r12, rax
                    call header
                    xor edx, edx
                    xor ecx, ecx
            .sum:
                    cmp rcx, r13
                    jae .summed
                    movzx eax, byte [r12 + rcx + 8]
                    add rdx, rax
                    inc rcx
                    jmp .sum
            .summed:
                    mov rdi, rdx
                    call print
                    xor edi, edi
                    test r13, r13
                    jz .empty
                    mov byte [r12 + r13 + 7], 99
                    movzx edi, byte [r12 + r13 + 7]
            .empty:
                    call print
                    add rsp, 8
                    ret
            ; words: newwords(r13), then the same for words (the last word gets -5)
            words:
                    sub rsp, 8
                    mov rdi, r13
                    call [rel newwords]
                    mov r12, rax
                    call header
                    xor edx, edx
                    xor ecx, ecx
            .sum:
                    cmp rcx, r13
                    jae .summed
                    add rdx, [r12 + rcx*8 + 8]
                    inc rcx
                    jmp .sum
            .summed:
                    mov rdi, rdx
                    call print
                    xor edi, edi
                    test r13, r13
                    jz .empty
                    mov qword [r12 + r13*8], -5
                    mov rdi, [r12 + r13*8]
            .empty:
                    call print
                    add rsp, 8
                    ret
            ; header: prints whether r12 is non-null, and its length word
            header:
                    sub rsp, 8
                    xor edi, edi
                    test r12, r12
                    setnz dil
                    call print
                    mov rdi, [r12]
                    call print
                    add rsp, 8
                    ret
            """, "");

    /** Writes "before" on stdout, calls the stop service directly, then would write "after". */
    static final String STOP = program("write, stop", """
            main:
                    sub rsp, 8
                    mov edi, 1
                    lea rsi, [rel before]
                    mov edx, 7
                    call [rel write]
                    call [rel stop]
                    mov edi, 1
                    lea rsi, [rel after]
                    mov edx, 6
                    call [rel write]
                    xor eax, eax
                    add rsp, 8
                    ret
            """, """
            before: bytes "before", 10
            after:  bytes "after", 10
            """);

    /**
     * Files, with arguments: 1 a file holding "0123456789", 2 a missing file,
     * 3 a file larger than 4 GiB, 4 a file that is only fstat'ed. Prints one
     * result per line (see the test for the list) and ends with exit(42).
     */
    static final String FILES = program("write, read, open, close, lseek, fstat, exit", """
            main:
                    push rbx
                    push r12
                    push r13
                    mov rbx, rdi                    ; the argument array
                    lea r13, [rel statbuf]
                    mov rdi, [rbx + 16]             ; 1: open(digits, O_RDONLY)
                    xor esi, esi
                    xor edx, edx
                    call [rel open]
                    mov r12, rax
                    mov rdi, rax
                    call print
                    mov rdi, r12                    ; 2: fstat
                    mov rsi, r13
                    call [rel fstat]
                    mov rdi, rax
                    call print
                    mov rdi, [r13 + 8 + 48]         ; 3: st_size
                    call print
                    mov rdi, r12                    ; 4: lseek(fd, 0, SEEK_END)
                    xor esi, esi
                    mov edx, 2
                    call [rel lseek]
                    mov rdi, rax
                    call print
                    mov rdi, r12                    ; 5: lseek(fd, 3, SEEK_SET)
                    mov esi, 3
                    xor edx, edx
                    call [rel lseek]
                    mov rdi, rax
                    call print
                    mov rdi, r12                    ; 6: read(fd, four, 4)
                    lea rsi, [rel four]
                    mov edx, 4
                    call [rel read]
                    mov rdi, rax
                    call print
                    mov edi, 1                      ; 7: the four bytes, then a newline
                    lea rsi, [rel four]
                    mov edx, 4
                    call [rel write]
                    mov edi, 1
                    lea rsi, [rel newline]
                    mov edx, 1
                    call [rel write]
                    mov rdi, r12                    ; 8: read(fd, four, 5)
                    lea rsi, [rel four]
                    mov edx, 5
                    call [rel read]
                    mov rdi, rax
                    call print
                    mov edi, 1                      ; 9: write(1, four, 5)
                    lea rsi, [rel four]
                    mov edx, 5
                    call [rel write]
                    mov rdi, rax
                    call print
                    mov rdi, r12                    ; 10: lseek(fd, 5 GiB, SEEK_SET)
                    mov rsi, 0x140000000
                    xor edx, edx
                    call [rel lseek]
                    mov rdi, rax
                    call print
                    mov rdi, r12                    ; 11: lseek(fd, -1, SEEK_SET)
                    mov rsi, -1
                    xor edx, edx
                    call [rel lseek]
                    mov rdi, rax
                    call print
                    mov rdi, r12                    ; 12: close
                    call [rel close]
                    mov rdi, rax
                    call print
                    mov rdi, r12                    ; 13: close again
                    call [rel close]
                    mov rdi, rax
                    call print
                    mov rdi, [rbx + 24]             ; 14: open(missing)
                    xor esi, esi
                    xor edx, edx
                    call [rel open]
                    mov rdi, rax
                    call print
                    mov rdi, [rbx + 32]             ; 15: open(big); 16: fstat; 17: st_size
                    xor esi, esi
                    xor edx, edx
                    call [rel open]
                    mov r12, rax
                    mov rdi, rax
                    call print
                    mov rdi, r12
                    mov rsi, r13
                    call [rel fstat]
                    mov rdi, rax
                    call print
                    mov rdi, [r13 + 8 + 48]
                    call print
                    mov rdi, r12                    ; 18: lseek(big, 0, SEEK_END)
                    xor esi, esi
                    mov edx, 2
                    call [rel lseek]
                    mov rdi, rax
                    call print
                    mov rdi, r12
                    call [rel close]
                    mov rdi, [rbx + 40]             ; 19: open(stat-only); 20: fstat
                    xor esi, esi
                    xor edx, edx
                    call [rel open]
                    mov r12, rax
                    mov rdi, rax
                    call print
                    mov rdi, r12
                    mov rsi, r13
                    call [rel fstat]
                    mov rdi, rax
                    call print
                    xor ebx, ebx                    ; 21-38: the 18 words of struct stat
            .words:
                    mov rdi, [r13 + rbx*8 + 8]
                    call print
                    inc rbx
                    cmp rbx, 18
                    jb .words
                    mov rdi, r12                    ; 39: fstat into a 143-byte buffer
                    lea rsi, [rel smallstat]
                    call [rel fstat]
                    mov rdi, rax
                    call print
                    lea rdi, [rel longpath]         ; 40: open(4096-byte path)
                    xor esi, esi
                    xor edx, edx
                    call [rel open]
                    mov rdi, rax
                    call print
                    lea rdi, [rel nulpath]          ; 41: open(path with a NUL byte)
                    xor esi, esi
                    xor edx, edx
                    call [rel open]
                    mov rdi, rax
                    call print
                    lea rdi, [rel maxpath]          ; 42: open("/" * 4095), the longest path: accepted
                    xor ecx, ecx
            .slashes:
                    mov byte [rdi + rcx + 8], '/'
                    inc rcx
                    cmp rcx, 4095
                    jb .slashes
                    xor esi, esi
                    xor edx, edx
                    call [rel open]
                    mov rdi, rax
                    call print
                    mov edi, 42                     ; exit(42)
                    call [rel exit]
                    mov eax, 99                     ; not reached
                    pop r13
                    pop r12
                    pop rbx
                    ret
            """, """
            statbuf:   zbytes 144
            smallstat: zbytes 143
            four:      zbytes 4
            newline:   bytes 10
            longpath:  zbytes 4096
            maxpath:   zbytes 4095
            nulpath:   bytes "digits", 0, "x"
            """);

    /** Prints the argument array: count, then per argument its length, its bytes, the byte after them. */
    static final String ARGS = program("write", """
            main:
                    push rbx
                    push r12
                    push r13
                    mov rax, rsp                    ; rsp at entry = rax + 24
                    add rax, 24
                    mov rbx, rdi
                    mov rdi, rax                    ; rsp at entry
                    call print
                    mov rdi, rbx                    ; the array's address
                    call print
                    mov r12, [rbx]
                    mov rdi, r12                    ; argc
                    call print
                    xor r13d, r13d
            .each:
                    cmp r13, r12
                    jae .done
                    mov rsi, [rbx + r13*8 + 8]
                    mov rdi, [rsi]
                    call print                      ; its length
                    mov rsi, [rbx + r13*8 + 8]
                    mov rdx, [rsi]
                    mov edi, 1
                    call [rel write]                ; its bytes
                    mov edi, 1
                    lea rsi, [rel newline]
                    mov edx, 1
                    call [rel write]
                    mov rsi, [rbx + r13*8 + 8]
                    mov rax, [rsi]
                    movzx edi, byte [rsi + rax + 8]
                    call print                      ; the byte after them
                    inc r13
                    jmp .each
            .done:
                    xor eax, eax
                    pop r13
                    pop r12
                    pop rbx
                    ret
            """, "newline: bytes 10\n");

    /** Recurses {@code depth} times with 64-byte frames, then prints 1. Each call of {@code down} polls. */
    static String recursion(long depth) {
        return program("write", """
                main:
                        sub rsp, 8
                        mov rdi, %d
                        call down
                        mov edi, 1
                        call print
                        xor eax, eax
                        add rsp, 8
                        ret
                down:
                        sub rsp, 56
                        mov [rsp], rdi
                        test rdi, rdi
                        jz .bottom
                        dec rdi
                        call down
                .bottom:
                        add rsp, 56
                        ret
                """.formatted(depth), "");
    }

    /** The constants {@link #registers} puts in the callee-saved registers. */
    static final List<String> SAVED = List.of("rbx", "rbp", "r12", "r13", "r14", "r15");

    /**
     * Sets rbx, rbp, r12-r15 to distinct values, calls every service that
     * returns (successfully and with errors) and checks after each call that
     * they and rsp are unchanged. Prints 0 if all were, else the number of the
     * first call after which one was not; exits with that number too.
     */
    static String registers() {
        String[] calls = {
            "call [rel getpid]",
            "call [rel getppid]",
            "call [rel clock]",
            "mov edi, 4096\n        call [rel alloc]",
            "xor edi, edi\n        call [rel alloc]",
            "mov edi, 1000000\n        call [rel alloc]",
            "mov rdi, -1\n        call [rel alloc]",
            "mov edi, 100\n        call [rel newbytes]",
            "mov edi, 100000\n        call [rel newwords]",
            "mov rdi, -1\n        call [rel newwords]",
            "mov edi, 1\n        lea rsi, [rel four]\n        xor edx, edx\n        call [rel write]",
            "mov edi, 1\n        lea rsi, [rel four]\n        mov edx, 9\n        call [rel write]",
            "xor edi, edi\n        lea rsi, [rel four]\n        mov edx, 4\n        call [rel read]",
            "lea rdi, [rel path]\n        xor esi, esi\n        xor edx, edx\n        call [rel open]\n        mov [rel fd], rax",
            "lea rdi, [rel longpath]\n        xor esi, esi\n        xor edx, edx\n        call [rel open]",
            "mov rdi, [rel fd]\n        lea rsi, [rel statbuf]\n        call [rel fstat]",
            "mov rdi, [rel fd]\n        mov esi, 1\n        xor edx, edx\n        call [rel lseek]",
            "mov rdi, [rel fd]\n        call [rel close]",
            "mov edi, 12345\n        call [rel close]",
        };
        return registerCheck("write, read, open, close, lseek, fstat, getpid, getppid, alloc, clock, newbytes, newwords",
                "", calls, """
                four:      zbytes 4
                statbuf:   zbytes 144
                longpath:  zbytes 5000
                path:      bytes "/"
                fd:        dq 0
                """);
    }

    /**
     * A program that sets rbx, rbp, r12-r15 to distinct values (after
     * {@code setup}, which runs with the argument array in rdi), makes each
     * of {@code calls} in turn and checks after each that they and rsp are
     * unchanged. Prints 0 if all were, else the number of the first call
     * after which one was not; exits with that number too. {@code data} must
     * not define {@code saved_rsp} or {@code result}.
     */
    static String registerCheck(String imports, String setup, String[] calls, String data) {
        StringBuilder main = new StringBuilder("""
                main:
                        push rbx
                        push rbp
                        push r12
                        push r13
                        push r14
                        push r15
                        sub rsp, 8
                """).append(setup).append("""
                        mov [rel saved_rsp], rsp
                """);
        for (int i = 0; i < SAVED.size(); i++) {
            main.append("        mov ").append(SAVED.get(i)).append(", 0x").append(Long.toHexString(pattern(i))).append('\n');
        }
        for (int c = 0; c < calls.length; c++) {
            main.append("        ").append(calls[c]).append('\n');
            main.append("        mov eax, ").append(c + 1).append('\n');
            main.append("        cmp rsp, [rel saved_rsp]\n        jne .bad\n");
            for (int i = 0; i < SAVED.size(); i++) {
                main.append("        mov rcx, 0x").append(Long.toHexString(pattern(i))).append('\n');
                main.append("        cmp ").append(SAVED.get(i)).append(", rcx\n        jne .bad\n");
            }
        }
        main.append("""
                        xor eax, eax
                .bad:
                        mov [rel result], rax
                        mov rdi, rax
                        call print
                        mov rax, [rel result]
                        add rsp, 8
                        pop r15
                        pop r14
                        pop r13
                        pop r12
                        pop rbp
                        pop rbx
                        ret
                """);
        return program(imports, main.toString(), data + """
                saved_rsp: dq 0
                result:    dq 0
                """);
    }

    private static long pattern(int i) {
        return 0x0102030405060708L * (i + 1) ^ 0x7f00_0000_0000_0000L;
    }
}
