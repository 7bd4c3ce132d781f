// SPDX-License-Identifier: GPL-2.0-only
/*
 * 001-mdev-create-remove: "mtty", a sample-style vendor driver that
 * registers an mdev parent. Its create/remove callbacks keep a device
 * list that readers walk under SRCU; remove waits for those readers with
 * synchronize_srcu(), which is safe under any lock the readers never take.
 */
/* expect: none */

#include "scenario.h"

#define MTTY_MAX_PORTS	4

struct mdev_state {
	struct mdev_device *mdev;
	struct list_head next;		/* on mtty_devices */
	int nr_ports;
};

DEFINE_STATIC_SRCU(mtty_srcu);
static DEFINE_MUTEX(mtty_list_lock);
static LIST_HEAD(mtty_devices);
static unsigned int mtty_nr_ports = 2;
static struct device mtty_dev;

static int mtty_create(struct mdev_device *mdev)
{
	struct mdev_state *state;

	switch (mtty_nr_ports) {
	case 1 ... MTTY_MAX_PORTS:
		break;
	default:
		return -EINVAL;
	}

	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return -ENOMEM;
	state->mdev = mdev;
	state->nr_ports = mtty_nr_ports;
	mdev->driver_data = state;

	mutex_lock(&mtty_list_lock);
	list_add_rcu(&state->next, &mtty_devices);
	mutex_unlock(&mtty_list_lock);
	return 0;
}

static int mtty_remove(struct mdev_device *mdev)
{
	struct mdev_state *state = mdev->driver_data;

	mutex_lock(&mtty_list_lock);
	list_del_rcu(&state->next);
	mutex_unlock(&mtty_list_lock);

	synchronize_srcu(&mtty_srcu);
	mdev->driver_data = NULL;
	kfree(state);
	return 0;
}

static ssize_t total_ports_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct mdev_state *state;
	int idx, n = 0;

	idx = srcu_read_lock(&mtty_srcu);
	list_for_each_entry_srcu(state, &mtty_devices, next,
				 srcu_read_lock_held(&mtty_srcu))
		n += state->nr_ports;
	srcu_read_unlock(&mtty_srcu, idx);
	return sysfs_emit(buf, "%d\n", n);
}
static DEVICE_ATTR_RO(total_ports);

static const struct mdev_parent_ops mtty_ops = {
	.owner	= THIS_MODULE,
	.create	= mtty_create,
	.remove	= mtty_remove,
};

static void mtty_dev_release(struct device *dev)
{
}

static int __init mtty_init(void)
{
	int ret;

	dev_set_name(&mtty_dev, "mtty");
	mtty_dev.release = mtty_dev_release;
	ret = device_register(&mtty_dev);
	if (ret)
		goto err_put;

	ret = mdev_register_device(&mtty_dev, &mtty_ops);
	if (ret)
		goto err_unregister;
	return 0;

err_unregister:
	device_unregister(&mtty_dev);
	return ret;
err_put:
	put_device(&mtty_dev);
	return ret;
}

static void __exit mtty_exit(void)
{
	mdev_unregister_device(&mtty_dev);
	device_unregister(&mtty_dev);
}

module_init(mtty_init);
module_exit(mtty_exit);
MODULE_LICENSE("GPL v2");
