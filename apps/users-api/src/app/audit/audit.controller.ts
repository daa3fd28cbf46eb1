import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../common/dto/page.query';
import { EventPageDto } from '../common/dto/user-view.dto';
import { ParseObjectIdPipe, toObjectId } from '../common/object-id.pipe';
import { decodeTimeCursor } from '../common/page-cursor';
import { AuditTrail, type EventView } from './audit-trail.service';
import { UsersRoutes } from '../common/users-routes.decorator';
import { ApiUserIdParam } from '../common/dto/api-params';
import { UserRole } from '@directory/schemas';

@UsersRoutes(UserRole.Admin)
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  @Get(':id/events')
  @ApiOperation({ summary: "Admin: a user's audit trail, newest first, cursor-paginated" })
  @ApiUserIdParam()
  @ApiOkResponse({ type: EventPageDto })
  events(
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<{ items: EventView[]; nextCursor: string | null }> {
    const after = query.after === undefined ? undefined : decodeTimeCursor(query.after);
    return this.trail.history(toObjectId(id), query.limit ?? DEFAULT_PAGE_SIZE, after);
  }
}
