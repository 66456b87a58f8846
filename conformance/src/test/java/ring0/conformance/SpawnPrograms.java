package ring0.conformance;

/**
 * Untyped ring0 programs for {@link LinuxSpawnTest}: a child that reports
 * what it was given, a program that never ends, and a driver that runs the
 * {@code spawn}, {@code wait} and {@code kill} services through their cases.
 * Each prints one result per line in signed decimal.
 */
final class SpawnPrograms {
    private SpawnPrograms() {}

    /** An untyped program with {@code print} ({@link LinuxPrograms#program}) and a {@code newline}. */
    private static String program(String imports, String main, String data) {
        return LinuxPrograms.program(imports, main, "newline: bytes 10\n" + data);
    }

    /**
     * The child: unless its argument 1 is {@code q} (quiet), prints argc, each
     * argument on a line of its own, whether its argument array lies below
     * 4 GiB (1 on the int80 gate, 0 on syscall), and what {@code fstat(3)}
     * returns (-9 if descriptor 3 was not inherited). Exits with argc.
     */
    static final String CHILD = program("write, fstat, exit", """
            main:
                    push rbx
                    push r12
                    push r13
                    mov rbx, rdi
                    mov r12, [rbx]
                    cmp r12, 2
                    jb .loud
                    mov rsi, [rbx + 16]
                    cmp qword [rsi], 1
                    jne .loud
                    cmp byte [rsi + 8], 'q'
                    je .done
            .loud:
                    mov rdi, r12
                    call print
                    xor r13d, r13d
            .each:
                    cmp r13, r12
                    jae .listed
                    mov rsi, [rbx + r13*8 + 8]
                    mov rdx, [rsi]
                    mov edi, 1
                    call [rel write]
                    mov edi, 1
                    lea rsi, [rel newline]
                    mov edx, 1
                    call [rel write]
                    inc r13
                    jmp .each
            .listed:
                    xor edi, edi
                    mov rax, 0x100000000
                    cmp rbx, rax
                    setb dil
                    call print
                    mov edi, 3
                    lea rsi, [rel statbuf]
                    call [rel fstat]
                    mov rdi, rax
                    call print
            .done:
                    mov rdi, r12
                    call [rel exit]
                    pop r13
                    pop r12
                    pop rbx
                    ret
            """, "statbuf: zbytes 144\n");

    /** Never ends (until killed). */
    static final String LOOPER = """
            untyped
            section .text
            main:
                    jmp main
            """;

    /**
     * The driver. Arguments: 1 the child, 2 a missing file, 3 a file without
     * execute bits, 4 an executable text file, 5 an executable {@code #!}
     * script, 6 a directory, 7 the looper, 8 a file to open (descriptor 3),
     * 9 the pid of an unrelated process (decimal). Prints the results listed in
     * {@link LinuxSpawnTest#EXPECTED_DRIVER}, then kills itself.
     */
    static final String DRIVER = program("write, open, spawn, wait, kill, getpid, getppid", """
            main:
                    push rbx
                    push r12
                    push r13
                    push r14
                    push r15
                    mov rbx, rdi                    ; the argument array
                    mov rdi, [rbx + 72]             ; open(argument 8): descriptor 3, close-on-exec
                    xor esi, esi
                    xor edx, edx
                    call [rel open]
                    mov rdi, rax
                    call print
                    mov rdi, [rbx + 16]             ; the child with "a", "bb", "", "ccc": status 5
                    lea rsi, [rel fourargs]
                    call spawnwait
                    mov rdi, [rbx + 16]             ; the child with no arguments: status 1
                    lea rsi, [rel noargs]
                    call spawnwait
                    mov rdi, [rbx + 24]             ; missing: -2
                    lea rsi, [rel noargs]
                    call [rel spawn]
                    mov rdi, rax
                    call print
                    mov r12d, 32                    ; no execute bit, text, script, directory: -13 -8 -8 -13
            .bad:
                    mov rdi, [rbx + r12]
                    lea rsi, [rel noargs]
                    call [rel spawn]
                    mov rdi, rax
                    call print
                    add r12, 8
                    cmp r12, 64
                    jb .bad
                    mov rdi, [rbx + 16]             ; arguments not NUL-terminated: -22
                    lea rsi, [rel unterminated]
                    call [rel spawn]
                    mov rdi, rax
                    call print
                    mov rdi, [rbx + 16]             ; 256 pieces: -7
                    lea rsi, [rel pieces256]
                    call [rel spawn]
                    mov rdi, rax
                    call print
                    mov rdi, [rbx + 16]             ; 255 pieces, the first "q": status 256 & 255 = 0
                    lea rsi, [rel pieces255]
                    mov byte [rsi + 8], 'q'
                    call spawnwait
                    lea rdi, [rel nulpath]          ; a NUL in the path: -22
                    lea rsi, [rel noargs]
                    call [rel spawn]
                    mov rdi, rax
                    call print
                    lea rdi, [rel longpath]         ; 4096 bytes of path: -36
                    lea rsi, [rel noargs]
                    call [rel spawn]
                    mov rdi, rax
                    call print
                    call [rel getppid]              ; wait for what is not a child: all -10
                    mov rdi, rax
                    call waitprint
                    xor edi, edi
                    call waitprint
                    mov rdi, -1
                    call waitprint
                    call [rel getpid]
                    mov rdi, rax
                    call waitprint
                    mov rdi, 0x100000000
                    call waitprint
                    xor edi, edi                    ; kill 0, -1, -2^31: -22; 2^32 - 1, 2^32 + 1, 2^31 - 1: -3
                    call killprint
                    mov rdi, -1
                    call killprint
                    mov rdi, -0x80000000
                    call killprint
                    mov rdi, 0xffffffff
                    call killprint
                    mov rdi, 0x100000001
                    call killprint
                    mov rdi, 0x7fffffff
                    call killprint
                    mov rdi, [rbx + 80]             ; an unrelated live process: -1
                    call number
                    mov rdi, rax
                    call killprint
                    call [rel getppid]              ; the parent: -1
                    mov rdi, rax
                    call killprint
                    mov rdi, [rbx + 64]             ; the looper: killed (0), then status 137
                    lea rsi, [rel noargs]
                    call [rel spawn]
                    mov r12, rax
                    mov rdi, r12
                    call killprint
                    mov rdi, r12
                    call waitprint
                    mov rdi, r12                    ; gone now: -3
                    call killprint
                    mov rdi, [rbx + 16]             ; three children at once, waited for out of order
                    lea rsi, [rel oneq]
                    call [rel spawn]
                    mov r12, rax
                    mov rdi, [rbx + 16]
                    lea rsi, [rel threeq]
                    call [rel spawn]
                    mov r13, rax
                    mov rdi, [rbx + 64]
                    lea rsi, [rel noargs]
                    call [rel spawn]
                    mov r14, rax
                    mov rdi, r13                    ; child q x y: 4
                    call waitprint
                    mov rdi, r14                    ; the looper: 0, then 137
                    call killprint
                    mov rdi, r12                    ; child q: 2
                    call waitprint
                    mov rdi, r14
                    call waitprint
                    call [rel getpid]               ; kill itself: the process ends with SIGKILL (137)
                    mov rdi, rax
                    call [rel kill]
                    mov rdi, 99                     ; not reached
                    call print
                    xor eax, eax
                    pop r15
                    pop r14
                    pop r13
                    pop r12
                    pop rbx
                    ret
            ; spawnwait(rdi path, rsi args): spawns, waits, then prints 1 if spawn gave a pid > 0
            ; (else its error) and wait's result (else the error again)
            spawnwait:
                    push r12
                    push r13
                    sub rsp, 8
                    call [rel spawn]
                    mov r12, rax
                    mov r13, rax
                    test rax, rax
                    jle .report
                    mov rdi, rax
                    call [rel wait]
                    mov r13, rax
            .report:
                    xor edi, edi
                    test r12, r12
                    setg dil
                    cmovle rdi, r12
                    call print
                    mov rdi, r13
                    call print
                    add rsp, 8
                    pop r13
                    pop r12
                    ret
            waitprint:
                    sub rsp, 8
                    call [rel wait]
                    mov rdi, rax
                    call print
                    add rsp, 8
                    ret
            killprint:
                    sub rsp, 8
                    call [rel kill]
                    mov rdi, rax
                    call print
                    add rsp, 8
                    ret
            ; number(rdi): the decimal number in byte array rdi
            number:
                    xor eax, eax
                    xor ecx, ecx
            .digit:
                    cmp rcx, [rdi]
                    jae .end
                    movzx edx, byte [rdi + rcx + 8]
                    sub edx, '0'
                    imul rax, rax, 10
                    add rax, rdx
                    inc rcx
                    jmp .digit
            .end:
                    ret
            """, """
            noargs:       zbytes 0
            fourargs:     bytes "a", 0, "bb", 0, 0, "ccc", 0
            oneq:         bytes "q", 0
            threeq:       bytes "q", 0, "x", 0, "y", 0
            unterminated: bytes "a", 0, "b"
            pieces256:    zbytes 256
            pieces255:    zbytes 256
            nulpath:      bytes "child", 0, "x"
            longpath:     zbytes 4096
            """);

    /**
     * Sets rbx, rbp, r12-r15 to distinct values, calls spawn, wait and kill
     * on their success and error paths (argument 1: the looper, argument 2: a
     * non-ELF executable) and checks after each call that they and rsp are
     * unchanged. Prints 0 if all were, else the number of the first call
     * after which one was not; exits with that number too.
     */
    static String registers() {
        String[] calls = {
            "mov rdi, [rel args]\n        mov rdi, [rdi + 16]\n        lea rsi, [rel noargs]\n        call [rel spawn]\n        mov [rel pid], rax",
            "mov rdi, [rel args]\n        mov rdi, [rdi + 24]\n        lea rsi, [rel noargs]\n        call [rel spawn]",
            "lea rdi, [rel missing]\n        lea rsi, [rel noargs]\n        call [rel spawn]",
            "lea rdi, [rel missing]\n        lea rsi, [rel unterminated]\n        call [rel spawn]",
            "mov rdi, [rel pid]\n        call [rel kill]",
            "mov rdi, [rel pid]\n        call [rel wait]",
            "mov rdi, [rel pid]\n        call [rel wait]",
            "mov rdi, [rel pid]\n        call [rel kill]",
            "xor edi, edi\n        call [rel kill]",
            "xor edi, edi\n        call [rel wait]",
        };
        return LinuxPrograms.registerCheck("write, spawn, wait, kill", "        mov [rel args], rdi\n", calls, """
                noargs:       zbytes 0
                unterminated: bytes "x"
                missing:      bytes "no-such-file"
                args:         dq 0
                pid:          dq 0
                """);
    }
}
