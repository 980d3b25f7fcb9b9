/*
 * The records of 05-struct-records as C declares them: the same declarations the Java classes
 * DelphiRecord, MarketData and TickTable mirror. A test compiles layout.c and records.c with gcc and
 * checks that both sides agree, byte for byte.
 */
#ifndef SHMIPC_RECORDS_H
#define SHMIPC_RECORDS_H

#include <stdint.h>

/* Delphi: TMMFData = packed record valwrd: WORD; valint: Integer; valdbl: Double; end; */
#pragma pack(push, 1)
typedef struct {
    uint16_t valwrd;
    int32_t valint;
    double valdbl;
} TMMFData;
#pragma pack(pop)

/* In the spirit of CTP's CThostFtdcDepthMarketDataField; natural alignment, so padding. */
struct MarketData {
    char InstrumentID[31];
    double LastPrice;
    double BidPrice1;
    int BidVolume1;
    double AskPrice1;
    int AskVolume1;
    char UpdateTime[9];
    int UpdateMillisec;
};

/* The tick table: this header, then `records` slots. */
struct TickTableHeader {
    int32_t records;
    int32_t state; /* 0 preparing, 1 publishing, 2 done */
    int32_t readers;
    int32_t pad;
    char kind[8]; /* the Java writer's tag: "05-TICKS", NUL-padded (this C peer leaves it zero) */
    int64_t pid;  /* and its process id */
};

struct TickSlot {
    int64_t sequence; /* a seqlock: odd while the record is being written */
    struct MarketData record;
};

enum { TABLE_PREPARING = 0, TABLE_PUBLISHING = 1, TABLE_DONE = 2 };

#endif
