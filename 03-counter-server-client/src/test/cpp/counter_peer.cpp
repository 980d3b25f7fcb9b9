// counter_peer.cpp: a native peer for the Java Server and Client of this module.
//
// Written for this project from the protocol of article 002 ("共有メモリによるプロセス間通信",
// Hitoshi, 2015), whose listing carries no licence and is therefore not copied here. It behaves
// as the article's program does, step for step, so the tests check the Java programs against the
// article's wire contract:
//   server: shm_open(O_CREAT|O_EXCL|O_RDWR, 0600), ftruncate(4096), mmap, close(fd)
//   client: shm_open(O_RDWR), mmap, close(fd)
//   both:   zero both int slots (the article's reset), then ten rounds of
//           "if mine <= theirs: mine = theirs + 1", sleeping 800 ms (server) or 500 ms (client)
//   end:    munmap; the server also shm_unlink
// and prints the article's lines. Like the article, it uses plain int accesses and compares the
// mmap result with 0: it is the reference for the original's behaviour, faults included.
//
// Build: g++ -O1 counter_peer.cpp -o counter_peer -lrt
// Run:   counter_peer server|client [/name]      (default /test.shmem)

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

namespace {

const size_t kSize = 4096;

int run(bool server, const char* name) {
    const int oflag = server ? (O_CREAT | O_EXCL | O_RDWR) : O_RDWR;
    const int fd = shm_open(name, oflag, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        if (server) {
            std::cerr << "server: shmem_open failed: " << fd << ", if /dev/shm" << name
                      << " exists, remove it." << std::endl;
        } else {
            std::cerr << "shmem_open failed: " << fd << ", Are you running the server?" << std::endl;
        }
        return 1;
    }
    std::cout << (server ? "server: " : "") << "shmem_open succeed fd: " << fd << std::endl;

    if (server && ftruncate(fd, kSize) != 0) {
        std::cerr << "server: ftruncate failed" << std::endl;
        return 1;
    }
    void* address = mmap(0, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (address == 0) {  // as in the article; the correct test is address == MAP_FAILED
        std::cerr << "mmap failed" << std::endl;
        return 1;
    }
    close(fd);

    int* slots = static_cast<int*>(address);
    const int mine = server ? 0 : 1;
    const int theirs = 1 - mine;
    slots[0] = 0;
    slots[1] = 0;

    for (int round = 0; round < 10; ++round) {
        const int own = slots[mine];
        const int other = slots[theirs];
        if (own <= other) {
            slots[mine] = other + 1;
            std::cout << "I am taller. " << other + 1 << ", " << other << std::endl;
        }
        usleep(server ? 800000 : 500000);
        std::cout << (server ? "Checking client " : "Checking server ") << round << std::endl;
    }
    std::cout << (server ? "Quit server: " : "Quit client: ") << slots[0] << ", " << slots[1] << std::endl;

    if (munmap(address, kSize) != 0) {
        std::cerr << "munmap failed" << std::endl;
        return 1;
    }
    if (server && shm_unlink(name) != 0) {
        std::cerr << "shm_unlink failed" << std::endl;
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc < 2 || argc > 3 || (std::strcmp(argv[1], "server") != 0 && std::strcmp(argv[1], "client") != 0)) {
        std::cerr << "usage: counter_peer server|client [/name]" << std::endl;
        return 1;
    }
    return run(std::strcmp(argv[1], "server") == 0, argc == 3 ? argv[2] : "/test.shmem");
}
