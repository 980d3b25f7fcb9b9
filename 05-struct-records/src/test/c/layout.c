/* Prints sizeof and offsetof of every record in records.h, one "Type.field value" a line. */
#include <stddef.h>
#include <stdio.h>

#include "records.h"

#define SIZE(type) printf("%s.sizeof %zu\n", #type, sizeof(type))
#define OFFSET(type, field) printf("%s.%s %zu\n", #type, #field, offsetof(type, field))

int main(void) {
    SIZE(TMMFData);
    OFFSET(TMMFData, valwrd);
    OFFSET(TMMFData, valint);
    OFFSET(TMMFData, valdbl);

    typedef struct MarketData MarketData;
    SIZE(MarketData);
    OFFSET(MarketData, InstrumentID);
    OFFSET(MarketData, LastPrice);
    OFFSET(MarketData, BidPrice1);
    OFFSET(MarketData, BidVolume1);
    OFFSET(MarketData, AskPrice1);
    OFFSET(MarketData, AskVolume1);
    OFFSET(MarketData, UpdateTime);
    OFFSET(MarketData, UpdateMillisec);

    typedef struct TickTableHeader TickTableHeader;
    SIZE(TickTableHeader);
    OFFSET(TickTableHeader, records);
    OFFSET(TickTableHeader, state);
    OFFSET(TickTableHeader, readers);
    OFFSET(TickTableHeader, kind);
    OFFSET(TickTableHeader, pid);

    typedef struct TickSlot TickSlot;
    SIZE(TickSlot);
    OFFSET(TickSlot, sequence);
    OFFSET(TickSlot, record);
    return 0;
}
