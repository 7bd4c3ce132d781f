// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 000-mdev-devlink, buggy: a cut-down devlink core. One global mutex,
 * devlink_mutex, guards the instance list and is held across every
 * netlink command, so the eswitch mode command calls the driver's
 * ->eswitch_mode_set() with devlink_mutex held.
 */
/* expect: lock-inversion devlink_mutex mdev_parent.unreg_sem */

#include "scenario.h"

#define DEVLINK_CMD_ESWITCH_GET	29
#define DEVLINK_CMD_ESWITCH_SET	30

static DEFINE_MUTEX(devlink_mutex);
static LIST_HEAD(devlink_list);
static u32 devlink_next_index;

struct devlink_nl_cmd {
	u8 cmd;
	int (*doit)(struct devlink *devlink, struct genl_info *info);
};

struct devlink *devlink_alloc(const struct devlink_ops *ops, size_t priv_size,
			      struct device *dev)
{
	struct devlink *devlink;

	devlink = kzalloc(sizeof(*devlink) + priv_size, GFP_KERNEL);
	if (!devlink)
		return NULL;
	devlink->ops = ops;
	devlink->dev = dev;
	INIT_LIST_HEAD(&devlink->list);
	return devlink;
}
EXPORT_SYMBOL_GPL(devlink_alloc);

void devlink_free(struct devlink *devlink)
{
	WARN_ON(devlink->registered);
	kfree(devlink);
}
EXPORT_SYMBOL_GPL(devlink_free);

void devlink_register(struct devlink *devlink)
{
	mutex_lock(&devlink_mutex);
	devlink->index = ++devlink_next_index;
	list_add_tail(&devlink->list, &devlink_list);
	devlink->registered = true;
	mutex_unlock(&devlink_mutex);
}
EXPORT_SYMBOL_GPL(devlink_register);

void devlink_unregister(struct devlink *devlink)
{
	guard(mutex)(&devlink_mutex);
	WARN_ON(!devlink->registered);
	list_del(&devlink->list);
	devlink->registered = false;
}
EXPORT_SYMBOL_GPL(devlink_unregister);

static struct devlink *devlink_lookup(u32 index)
{
	struct devlink *devlink;

	lockdep_assert_held(&devlink_mutex);
	list_for_each_entry(devlink, &devlink_list, list) {
		if (devlink->index == index)
			return devlink;
	}
	return NULL;
}

static int devlink_nl_cmd_eswitch_get_doit(struct devlink *devlink,
					   struct genl_info *info)
{
	if (!devlink->ops->eswitch_mode_get)
		return -EOPNOTSUPP;
	return devlink->ops->eswitch_mode_get(devlink, &info->eswitch_mode);
}

static int devlink_nl_cmd_eswitch_set_doit(struct devlink *devlink,
					   struct genl_info *info)
{
	const struct devlink_ops *ops = devlink->ops;

	if (!ops->eswitch_mode_set)
		return -EOPNOTSUPP;
	return ops->eswitch_mode_set(devlink, info->eswitch_mode);
}

static const struct devlink_nl_cmd devlink_nl_cmds[] = {
	{ .cmd = DEVLINK_CMD_ESWITCH_GET, .doit = devlink_nl_cmd_eswitch_get_doit, },
	{ .cmd = DEVLINK_CMD_ESWITCH_SET, .doit = devlink_nl_cmd_eswitch_set_doit, },
};

int devlink_nl_rcv_msg(struct genl_info *info)
{
	const struct devlink_nl_cmd *cmd = NULL;
	struct devlink *devlink;
	int i, err;

	for (i = 0; i < ARRAY_SIZE(devlink_nl_cmds); i++)
		if (devlink_nl_cmds[i].cmd == info->cmd)
			cmd = &devlink_nl_cmds[i];
	if (!cmd)
		return -EOPNOTSUPP;

	mutex_lock(&devlink_mutex);
	devlink = devlink_lookup(info->devlink_index);
	if (!devlink) {
		err = -ENODEV;
		goto unlock;
	}
	err = cmd->doit(devlink, info);
unlock:
	mutex_unlock(&devlink_mutex);
	return err;
}
